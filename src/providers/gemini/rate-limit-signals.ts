import { type ErrorFields, googleDetail, googleDetails, textField } from '../../formats/error-body.js';
import { parseDuration } from '../parse-duration.js';
import type { ResetSignal } from '../reset-signals.js';

/** ErrorInfo reasons that mean a spent quota or balance rather than a short rate limit. */
const spentReasons = new Set(['QUOTA_EXHAUSTED', 'INSUFFICIENT_G1_CREDITS_BALANCE']);

/** A QuotaFailure on a per-day quota (`…PerDay…`, `…Daily…`) lasts until the day resets. */
function isDailyQuotaFailure(error: ErrorFields | undefined): boolean {
  const violations = googleDetail(error, 'google.rpc.QuotaFailure')?.violations;
  if (!Array.isArray(violations)) return false;
  return violations.some((violation: unknown) => {
    const quotaId =
      typeof violation === 'object' && violation !== null ? (violation as ErrorFields).quotaId : undefined;
    return typeof quotaId === 'string' && (quotaId.includes('PerDay') || quotaId.includes('Daily'));
  });
}

/**
 * Google's RESOURCE_EXHAUSTED details: `RetryInfo.retryDelay`, and `ErrorInfo` whose `reason` is
 * `QUOTA_EXHAUSTED` (spent, as is a daily `QuotaFailure`) or `RATE_LIMIT_EXCEEDED` (a throttle),
 * with `metadata.quotaResetDelay` (a duration such as `38.3s`, `1h2m`) or `quotaResetTimeStamp`.
 * @see https://cloud.google.com/apis/design/errors#error_details
 * @see https://github.com/google-gemini/gemini-cli/blob/main/packages/core/src/utils/googleQuotaErrors.ts
 */
export function geminiSignal(error: ErrorFields | undefined, now: number): ResetSignal | undefined {
  if (googleDetails(error).length === 0) return undefined;
  const resets: number[] = [];
  const delay = (text: string | undefined) => {
    const milliseconds = text === undefined ? undefined : parseDuration(text);
    if (milliseconds !== undefined) resets.push(now + milliseconds);
  };
  delay(textField(googleDetail(error, 'google.rpc.RetryInfo'), 'retryDelay'));
  const errorInfo = googleDetail(error, 'google.rpc.ErrorInfo');
  const metadata = errorInfo?.metadata;
  if (typeof metadata === 'object' && metadata !== null) {
    delay(textField(metadata as ErrorFields, 'quotaResetDelay'));
    const timestamp = Date.parse(textField(metadata as ErrorFields, 'quotaResetTimeStamp') ?? '');
    if (!Number.isNaN(timestamp)) resets.push(timestamp);
  }
  const quota = spentReasons.has(textField(errorInfo, 'reason') ?? '') || isDailyQuotaFailure(error);
  if (resets.length === 0 && !quota) return undefined;
  return { until: resets.length > 0 ? Math.max(...resets) : undefined, quota };
}

/**
 * Google's 429 `MODEL_CAPACITY_EXHAUSTED`: the model has no capacity on Google's side. Like
 * Anthropic's 529, it is not the account's fault, so it is retried rather than marking the bucket.
 * @see https://github.com/google-gemini/gemini-cli/blob/main/packages/core/src/utils/googleQuotaErrors.ts
 */
export function isModelCapacityExhausted(error: ErrorFields | undefined): boolean {
  return textField(googleDetail(error, 'google.rpc.ErrorInfo'), 'reason') === 'MODEL_CAPACITY_EXHAUSTED';
}
