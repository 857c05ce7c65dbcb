import type { QuotaReading } from '../../core/quota.js';
import { type ErrorFields, googleDetail, textField } from '../../formats/error-body.js';
import { parseDuration } from '../parse-duration.js';

/** The period a quota id names (`GenerateRequestsPerDayPerProjectPerModel-FreeTier` is per day). */
const periods: ReadonlyArray<[RegExp, string]> = [
  [/PerMinute|PerMin\b/, '1min'],
  [/PerHour/, '1h'],
  [/PerDay|Daily/, '1d'],
];

/**
 * Gemini says nothing of its quotas until one is spent: a 429 RESOURCE_EXHAUSTED whose
 * `QuotaFailure` names each violated quota (`quotaId`, per minute or per day) and whose
 * `RetryInfo.retryDelay` says when it comes back. Each violated quota becomes a spent window
 * named by its period.
 * @see https://cloud.google.com/apis/design/errors#error_details
 */
export function geminiQuotaReading(error: ErrorFields | undefined, now: number): QuotaReading | undefined {
  const violations = googleDetail(error, 'google.rpc.QuotaFailure')?.violations;
  if (!Array.isArray(violations)) return undefined;
  const delay = parseDuration(textField(googleDetail(error, 'google.rpc.RetryInfo'), 'retryDelay') ?? '');
  const reading: QuotaReading = { windows: {} };
  for (const violation of violations) {
    if (typeof violation !== 'object' || violation === null) continue;
    const quotaId = textField(violation as ErrorFields, 'quotaId');
    if (quotaId === undefined) continue;
    const name = periods.find(([pattern]) => pattern.test(quotaId))?.[1] ?? quotaId;
    reading.windows[name] = {
      used: 1,
      status: 'rejected',
      ...(delay === undefined ? {} : { resetsAt: now + delay }),
    };
  }
  return Object.keys(reading.windows).length > 0 ? reading : undefined;
}
