import type { ProviderName } from '../core/types.js';
import { anthropicApiLimitSignal, anthropicUnifiedSignal } from './anthropic-reset.js';
import { codexBodySignal, codexHeaderSignal } from './codex-reset.js';
import { readErrorBody, type ErrorFields } from '../formats/error-body.js';
import { geminiSignal } from './gemini-reset.js';
import type { HeaderBag } from './header-bag.js';
import { openaiResetSignal } from './openai-reset.js';
import { spentQuotaSignal } from './quota-body.js';
import { retryAfterSignal } from './retry-after.js';
import type { UpstreamAnswer } from './upstream-answer.js';

/** What one source (a header family, a body shape) says: usable again at `until`, and whether a quota is spent. */
export interface ResetSignal {
  /** Unix ms; undefined when the source says a quota is spent but not until when. */
  until: number | undefined;
  quota: boolean;
}

/** No provider rests a bucket longer than a month; a later reset is a misread or a typo. */
const longestRestMs = 30 * 24 * 3_600_000;

/** Every source of reset information in an answer's headers. */
export function headerResetSignals(headers: HeaderBag, now: number): ResetSignal[] {
  return [
    retryAfterSignal(headers, now),
    anthropicUnifiedSignal(headers),
    anthropicApiLimitSignal(headers),
    openaiResetSignal(headers, now),
    codexHeaderSignal(headers, now),
  ].filter((signal): signal is ResetSignal => signal !== undefined);
}

/** Every source of reset information in an answer's error body (parsed, with its text for Qwen's message). */
export function bodyResetSignals(provider: ProviderName, error: ErrorFields | undefined, body: string | undefined, now: number): ResetSignal[] {
  return [codexBodySignal(error, now), geminiSignal(error, now), spentQuotaSignal(provider, error, body)].filter(
    (signal): signal is ResetSignal => signal !== undefined,
  );
}

/**
 * Merges signals: quota when any says so; the latest reset wins. Resets in the past are ignored,
 * and one beyond 30 days is clamped to 30 days.
 */
export function mergeSignals(signals: readonly ResetSignal[], now: number): { until: number | undefined; quota: boolean } {
  let until: number | undefined;
  for (const signal of signals) {
    if (signal.until === undefined || !Number.isFinite(signal.until) || signal.until <= now) continue;
    until = Math.max(until ?? signal.until, signal.until);
  }
  return {
    until: until === undefined ? undefined : Math.min(until, now + longestRestMs),
    quota: signals.some((signal) => signal.quota),
  };
}

/** All reset information in an answer's headers and body -> `until` (unix ms) or undefined, and whether a quota is spent. */
export function readResetTime(answer: UpstreamAnswer): { until: number | undefined; quota: boolean } {
  const error = readErrorBody(answer.body);
  const signals = [...headerResetSignals(answer.headers, answer.now), ...bodyResetSignals(answer.provider, error, answer.body, answer.now)];
  return mergeSignals(signals, answer.now);
}
