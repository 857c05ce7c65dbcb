import type { QuotaReading } from '../../core/quota.js';
import { type HeaderBag, header } from '../header-bag.js';
import { parseDuration } from '../parse-duration.js';
import { statusFromShare } from '../quota-status.js';

const limits = ['requests', 'tokens'] as const;

/**
 * OpenAI's per-key limits, read from every answer: `x-ratelimit-limit-<limit>`, `-remaining-` and
 * `-reset-` (a Go duration such as `6m0s`, never Number()) for `requests` and `tokens`. The used
 * share is what the limit has not left.
 * @see https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
 */
export function openaiQuotaReading(headers: HeaderBag, now: number): QuotaReading | undefined {
  const reading: QuotaReading = { windows: {} };
  let found = false;
  for (const limit of limits) {
    const total = Number(header(headers, `x-ratelimit-limit-${limit}`)?.trim() || Number.NaN);
    const remaining = Number(header(headers, `x-ratelimit-remaining-${limit}`)?.trim() || Number.NaN);
    if (!(total > 0) || !Number.isFinite(remaining) || remaining < 0) continue;
    const used = Math.min(Math.max(1 - remaining / total, 0), 1);
    const wait = parseDuration(header(headers, `x-ratelimit-reset-${limit}`) ?? '');
    reading.windows[limit] = {
      used,
      status: statusFromShare(used, remaining === 0),
      ...(wait === undefined ? {} : { resetsAt: now + wait }),
    };
    found = true;
  }
  return found ? reading : undefined;
}
