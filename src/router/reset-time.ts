import type { ProviderName } from '../core/types.js';
import type { HeaderBag } from '../providers/header-bag.js';
import { providerDefinitions } from '../providers/registry.js';
import { mergeSignals, type ResetSignal } from '../providers/reset-signals.js';
import { retryAfterSignal } from '../providers/retry-after.js';
import { readErrorBody, type ErrorFields } from '../formats/error-body.js';
import type { UpstreamAnswer } from './upstream-answer.js';

/** What an answer's headers say about its reset: HTTP's `retry-after`, then the provider's own header families. */
export function headerResetSignals(provider: ProviderName, headers: HeaderBag, now: number): ResetSignal[] {
  const signals: ResetSignal[] = [];
  const retryAfter = retryAfterSignal(headers, now);
  if (retryAfter !== undefined) signals.push(retryAfter);
  for (const read of providerDefinitions[provider].failureSignals.limitHeaders) {
    const signal = read(headers, now);
    if (signal !== undefined) signals.push(signal);
  }
  return signals;
}

/** What an answer's error body says about a limit, by the provider's documented shapes (`body` is the raw text). */
export function bodyResetSignals(
  provider: ProviderName,
  error: ErrorFields | undefined,
  body: string | undefined,
  now: number,
): ResetSignal[] {
  const signals: ResetSignal[] = [];
  for (const read of providerDefinitions[provider].failureSignals.limitBodies) {
    const signal = read(error, now, body);
    if (signal !== undefined) signals.push(signal);
  }
  return signals;
}

/** All reset information in an answer's headers and body -> `until` (unix ms) or undefined, and whether a quota is spent. */
export function readResetTime(answer: UpstreamAnswer): { until: number | undefined; quota: boolean } {
  const error = readErrorBody(answer.body);
  const signals = [
    ...headerResetSignals(answer.provider, answer.headers, answer.now),
    ...bodyResetSignals(answer.provider, error, answer.body, answer.now),
  ];
  return mergeSignals(signals, answer.now);
}
