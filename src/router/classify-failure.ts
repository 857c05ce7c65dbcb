import type { ProviderName } from '../core/types.js';
import { type ErrorFields, errorReason } from '../formats/error-body.js';
import type { HeaderBag } from '../providers/header-bag.js';
import { bodyResetSignals, headerResetSignals } from '../providers/read-reset-time.js';
import { providerDefinitions } from '../providers/registry.js';
import { mergeSignals } from '../providers/reset-signals.js';
import type { Classification } from './upstream-answer.js';

/** A failed answer with its error body already parsed (from a non-2xx body, or a stream's error event). */
export interface FailedAnswer {
  provider: ProviderName;
  status: number;
  headers: HeaderBag;
  error: ErrorFields | undefined;
  /** The raw body text, for a provider's documented message when `error` is missing (Qwen's quota). */
  body: string | undefined;
  now: number;
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
    const reset = mergeSignals([...headerResetSignals(signals, headers, now), ...fromBody], now);
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
