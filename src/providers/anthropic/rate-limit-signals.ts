import type { ErrorFields } from '../../formats/error-body.js';
import { hasErrorCode } from '../error-code.js';
import { epochSecondsHeader, type HeaderBag, header } from '../header-bag.js';
import { type ResetSignal, spentWithoutReset } from '../reset-signals.js';

const unifiedWindowStatus = /^anthropic-ratelimit-unified-(.+)-status$/;

/**
 * Anthropic's unified (subscription) limits. A window (`5h`, `7d`, `7d_opus`, …) whose `-status`
 * is `rejected` is spent until its `-reset` (epoch seconds); the latest rejected reset wins, and
 * the overall `-status: rejected` counts with the overall `-reset`. The overage window is never
 * read: `overage-status: allowed` means extra usage is on, not that anything is spent (other
 * routers misread it). `x-should-retry: true` without any unified reset is a momentary throttle.
 * @see https://docs.anthropic.com/en/api/rate-limits#response-headers
 */
export function anthropicUnifiedSignal(headers: HeaderBag): ResetSignal | undefined {
  const rejectedResets: Array<number | undefined> = [];
  for (const name of Object.keys(headers)) {
    const window = unifiedWindowStatus.exec(name)?.[1];
    if (window === undefined || window === 'overage') continue;
    if (header(headers, name)?.trim() !== 'rejected') continue;
    rejectedResets.push(epochSecondsHeader(headers, `anthropic-ratelimit-unified-${window}-reset`));
  }
  if (header(headers, 'anthropic-ratelimit-unified-status')?.trim() === 'rejected') {
    rejectedResets.push(epochSecondsHeader(headers, 'anthropic-ratelimit-unified-reset'));
  }
  if (rejectedResets.length === 0) return undefined;
  const resets = rejectedResets.filter((reset): reset is number => reset !== undefined);
  if (resets.length === 0) {
    // Rejected but no reset: Anthropic's own "retry now" hint marks a throttle, not a spent window.
    return header(headers, 'x-should-retry')?.trim() === 'true' ? undefined : spentWithoutReset;
  }
  return { until: Math.max(...resets), quota: true };
}

const apiLimits = ['requests', 'tokens', 'input-tokens', 'output-tokens'];

/**
 * Anthropic's per-minute API-key limits: the RFC 3339 `-reset` of each limit whose `-remaining`
 * is zero. A throttle, not a quota.
 * @see https://docs.anthropic.com/en/api/rate-limits#response-headers
 */
export function anthropicApiLimitSignal(headers: HeaderBag): ResetSignal | undefined {
  let until: number | undefined;
  for (const limit of apiLimits) {
    const remaining = header(headers, `anthropic-ratelimit-${limit}-remaining`)?.trim();
    if (remaining === undefined || remaining === '' || Number(remaining) !== 0) continue;
    const reset = Date.parse(header(headers, `anthropic-ratelimit-${limit}-reset`) ?? '');
    if (!Number.isNaN(reset)) until = Math.max(until ?? reset, reset);
  }
  return until === undefined ? undefined : { until, quota: false };
}

const billingCodes: ReadonlySet<string> = new Set(['billing_error']);

/**
 * Anthropic's `billing_error` (credit balance too low): spent, with no reset.
 * @see https://docs.anthropic.com/en/api/errors#http-errors
 */
export function anthropicBillingSignal(error: ErrorFields | undefined): ResetSignal | undefined {
  return hasErrorCode(error, billingCodes) ? spentWithoutReset : undefined;
}
