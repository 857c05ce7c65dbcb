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
 * routers misread it). Rejected model windows alone (`7d_opus`) spend that family only: the signal
 * names the families. `x-should-retry: true` without any unified reset is a momentary throttle.
 * @see https://docs.anthropic.com/en/api/rate-limits#response-headers
 */
export function anthropicUnifiedSignal(headers: HeaderBag): ResetSignal | undefined {
  const sharedResets: Array<number | undefined> = [];
  const familyResets: Array<number | undefined> = [];
  const families = new Set<string>();
  for (const name of Object.keys(headers)) {
    const window = unifiedWindowStatus.exec(name)?.[1];
    if (window === undefined || window === 'overage') continue;
    if (header(headers, name)?.trim() !== 'rejected') continue;
    const reset = epochSecondsHeader(headers, `anthropic-ratelimit-unified-${window}-reset`);
    // `7d_opus` binds Opus alone: other models keep using the account.
    const family = window.split('_')[1];
    if (family) {
      families.add(family);
      familyResets.push(reset);
    } else sharedResets.push(reset);
  }
  const overallRejected = header(headers, 'anthropic-ratelimit-unified-status')?.trim() === 'rejected';
  // The overall status sums the windows up: rejected by model windows alone, the account still serves other models.
  if (overallRejected && (sharedResets.length > 0 || families.size === 0))
    sharedResets.push(epochSecondsHeader(headers, 'anthropic-ratelimit-unified-reset'));
  if (sharedResets.length === 0 && families.size > 0) {
    const resets = familyResets.filter((reset): reset is number => reset !== undefined);
    return { until: resets.length > 0 ? Math.max(...resets) : undefined, quota: true, families: [...families] };
  }
  if (sharedResets.length === 0) return undefined;
  // The account as a whole comes back at its latest shared reset; a model window still spent then is
  // the model's alone (selection reads it from the bucket's quota).
  const resets = sharedResets.filter((reset): reset is number => reset !== undefined);
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
