import type { ProviderName } from '../core/types.js';
import { type ErrorFields, errorReason } from '../formats/error-body.js';
import type { HeaderBag } from '../providers/header-bag.js';
import { hasLimitHeaders } from '../providers/limit-headers-present.js';
import { bodyResetSignals, headerResetSignals } from '../providers/read-reset-time.js';
import { providerDefinitions } from '../providers/registry.js';
import { mergeSignals } from '../providers/reset-signals.js';
import type { Classification } from './upstream-answer.js';

/**
 * How long a 429 without any rate-limit header rests its bucket: long enough for the request to move on,
 * short enough that the account, which serves again seconds later, is not lost for a minute.
 */
export const momentaryRestMs = 2_000;

/** A failed answer with its error body already parsed (from a non-2xx body, or a stream's error event). */
export interface FailedAnswer {
  provider: ProviderName;
  status: number;
  headers: HeaderBag;
  error: ErrorFields | undefined;
  /** The raw body text, for a provider's documented message when `error` is missing (Qwen's quota). */
  body: string | undefined;
  now: number;
  /** An error event inside a 200 stream: its headers said nothing about the error, so their absence proves nothing. */
  inStream?: boolean;
}

/**
 * The decision for a failure, by status first and then by the documented fields of headers and
 * body, as the target's provider reads them (never by searching error prose for a status).
 * Internal: shared by answers and stream errors.
 */
export function classifyFailure(
  failure: FailedAnswer,
  reason = errorReason(failure.error, String(failure.status)),
): Classification {
  const { provider, status, headers, error, body, now } = failure;
  if (status === 401) return { kind: 'auth', reason };
  // 529 is Anthropic's overload; 408 a timeout: neither is the account's fault.
  if (status === 408 || status >= 500) return { kind: 'retryable', reason };
  const signals = providerDefinitions[provider].failureSignals;
  // Google's MODEL_CAPACITY_EXHAUSTED, say: the provider's capacity, not the account's limit.
  if (status === 429 && signals.isCapacityShortage?.(error) === true) return { kind: 'retryable', reason };
  const fromBody = bodyResetSignals(signals, error, body, now);
  // Any 4xx whose body says a quota is spent (Qwen's 403s, say) is the account's, not the client's.
  if (status === 429 || status === 402 || (status >= 400 && fromBody.some((signal) => signal.quota))) {
    const fromHeaders = headerResetSignals(signals, headers, now);
    const scoped = fromHeaders.find((signal) => signal.families !== undefined);
    // A model window alone is spent (a retry-after beside it says the same wall): the account serves other models.
    if (status === 429 && scoped?.families && !fromBody.some((signal) => signal.quota)) {
      const reset = mergeSignals([scoped], now);
      return { kind: 'rate-limited', state: 'exhausted', until: reset.until, reason, families: scoped.families };
    }
    // From a provider that states its limits in headers, none at all and nothing in the body: the request was
    // refused, not the account spent (Gemini states them only in bodies, so its bare 429 proves nothing).
    const statesLimitsInHeaders = providerDefinitions[provider].quotaSignals?.headers !== undefined;
    if (
      status === 429 &&
      statesLimitsInHeaders &&
      !failure.inStream &&
      fromBody.length === 0 &&
      !hasLimitHeaders(headers)
    )
      return { kind: 'rate-limited', state: 'cooling', until: now + momentaryRestMs, reason };
    const reset = mergeSignals([...fromHeaders, ...fromBody], now);
    return {
      kind: 'rate-limited',
      state: status === 402 || reset.quota ? 'exhausted' : 'cooling',
      until: reset.until,
      reason,
    };
  }
  if (status === 403 && signals.isRevokedToken(error)) return { kind: 'auth', reason };
  return { kind: 'client-error', reason };
}
