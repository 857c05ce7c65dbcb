import { type ErrorFields, readErrorBody } from '../formats/error-body.js';
import type { HeaderBag } from './header-bag.js';
import { mergeSignals, type ResetSignal } from './reset-signals.js';
import { retryAfterSignal } from './retry-after.js';
import type { FailureSignals } from './types.js';

/** What a failed answer's headers say about its reset: HTTP's `retry-after`, then the provider's header families. */
export function headerResetSignals(readers: FailureSignals, headers: HeaderBag, now: number): ResetSignal[] {
  const signals: ResetSignal[] = [];
  const retryAfter = retryAfterSignal(headers, now);
  if (retryAfter !== undefined) signals.push(retryAfter);
  for (const read of readers.limitHeaders) {
    const signal = read(headers, now);
    if (signal !== undefined) signals.push(signal);
  }
  return signals;
}

/** What a failed answer's error body says about a limit, by the provider's documented shapes (`body`: raw text). */
export function bodyResetSignals(
  readers: FailureSignals,
  error: ErrorFields | undefined,
  body: string | undefined,
  now: number,
): ResetSignal[] {
  const signals: ResetSignal[] = [];
  for (const read of readers.limitBodies) {
    const signal = read(error, now, body);
    if (signal !== undefined) signals.push(signal);
  }
  return signals;
}

/**
 * All reset information in a failed answer's headers and body, as the provider reads them ->
 * `until` (unix ms) or undefined, and whether a quota is spent.
 */
export function readResetTime(
  readers: FailureSignals,
  headers: HeaderBag,
  body: string | undefined,
  now: number,
): { until: number | undefined; quota: boolean } {
  const error = readErrorBody(body);
  const signals = [...headerResetSignals(readers, headers, now), ...bodyResetSignals(readers, error, body, now)];
  return mergeSignals(signals, now);
}
