import type { QuotaReading, QuotaStatus, QuotaWindow } from '../../core/quota.js';
import { epochSecondsHeader, type HeaderBag, header } from '../header-bag.js';
import { quotaStatusOf } from '../quota-status.js';

const unifiedPrefix = 'anthropic-ratelimit-unified-';
const windowStatus = /^anthropic-ratelimit-unified-(.+)-status$/;
const windowUtilization = /^anthropic-ratelimit-unified-(.+)-utilization$/;

/**
 * Anthropic's unified (subscription) windows, read from every answer: per window (`5h`, `7d`,
 * `7d_opus`, `7d_sonnet`) its `-status`, `-reset` (epoch seconds) and `-utilization` (0-1). A
 * window named `<length>_<family>` limits that model family alone. The overage window is extra
 * usage billed beyond the plan: kept apart and never read as a spent window.
 * @see https://docs.anthropic.com/en/api/rate-limits#response-headers
 */
export function anthropicQuotaReading(headers: HeaderBag): QuotaReading | undefined {
  const names = new Set<string>();
  for (const name of Object.keys(headers)) {
    if (!name.startsWith(unifiedPrefix)) continue;
    const window = windowStatus.exec(name)?.[1] ?? windowUtilization.exec(name)?.[1];
    if (window !== undefined && window !== 'overage') names.add(window);
  }
  const reading: QuotaReading = { windows: {} };
  for (const name of names) {
    const window: Omit<QuotaWindow, 'seenAt'> = {};
    const utilization = Number(header(headers, `${unifiedPrefix}${name}-utilization`)?.trim() || Number.NaN);
    if (Number.isFinite(utilization) && utilization >= 0) window.used = Math.min(utilization, 1);
    const status = quotaStatusOf(header(headers, `${unifiedPrefix}${name}-status`));
    if (status !== undefined) window.status = status;
    const reset = epochSecondsHeader(headers, `${unifiedPrefix}${name}-reset`);
    if (reset !== undefined) window.resetsAt = reset;
    const family = name.split('_')[1];
    if (family) window.family = family;
    reading.windows[name] = window;
  }
  const overageStatus = header(headers, `${unifiedPrefix}overage-status`)?.trim();
  if (overageStatus) {
    const resetsAt = epochSecondsHeader(headers, `${unifiedPrefix}overage-reset`);
    reading.overage = resetsAt === undefined ? { status: overageStatus } : { status: overageStatus, resetsAt };
  }
  const claim = header(headers, `${unifiedPrefix}representative-claim`)?.trim();
  if (claim) reading.representativeClaim = claim;
  if (names.size === 0 && reading.overage === undefined) return undefined;
  return reading;
}

/** The overall unified status, for a rest decided on the bucket as a whole. */
export function anthropicOverallStatus(headers: HeaderBag): QuotaStatus | undefined {
  return quotaStatusOf(header(headers, `${unifiedPrefix}status`));
}
