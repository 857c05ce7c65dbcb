import { type BucketQuota, currentWindow, type QuotaWindow } from '../core/quota.js';
import type { BucketKey } from '../core/types.js';

/** One window of one bucket as shown: the share used, status, reset, and when an answer said so. */
export interface WindowView {
  name: string;
  /** 0-1; null when the provider gave only a status. */
  used: number | null;
  status: string | null;
  resetsAt: string | null;
  /** The model family a model window binds alone (`opus`). */
  family: string | null;
  seenAt: string;
}

/** One provider's window across the pool: how much of it is used, and when it runs dry at the current rate. */
export interface PoolWindow {
  provider: string;
  window: string;
  /** Buckets whose answers described this window. */
  buckets: number;
  /** The pool's used share: the mean of the buckets' shares (0-1). */
  used: number;
  /** Buckets with the window spent (rejected) now. */
  rejected: number;
  /** Buckets near the window's limit (allowed_warning). */
  warning: number;
  /** The earliest reset among the buckets. */
  nextResetAt: string | null;
  /** The pool's share used per hour, from each bucket's readings in the window's current cycle; null: unknown. */
  usedPerHour: number | null;
  /** When the pool's unused share is gone at that rate; null when it is not being used up. */
  runsDryAt: string | null;
}

/** A bucket's readings this far apart at least give a rate worth showing. */
const shortestRateSpanMs = 60_000;

/** Length of a window from its name (`5h`, `7d`, `1min`, `7d_opus`), for ordering; unknown names last. */
function windowMinutes(name: string): number {
  const match = /^(\d+)(min|h|d)/.exec(name);
  if (!match) return Number.POSITIVE_INFINITY;
  const count = Number(match[1]);
  return match[2] === 'min' ? count : match[2] === 'h' ? count * 60 : count * 1440;
}

/** Windows shortest first, a window shared by every model before its model windows. */
export function compareWindowNames(left: string, right: string): number {
  return windowMinutes(left) - windowMinutes(right) || left.length - right.length || left.localeCompare(right);
}

/** A bucket's windows as they stand at `now` (one past its reset starts again empty). */
export function windowViews(quota: BucketQuota | undefined, now: number): WindowView[] {
  if (quota === undefined) return [];
  return Object.entries(quota.windows)
    .sort(([left], [right]) => compareWindowNames(left, right))
    .map(([name, stored]) => {
      const window = currentWindow(stored, now);
      return {
        name,
        used: window.used ?? (window.status === 'rejected' ? 1 : null),
        status: window.status ?? null,
        resetsAt: window.resetsAt === undefined ? null : new Date(window.resetsAt).toISOString(),
        family: window.family ?? null,
        seenAt: new Date(window.seenAt).toISOString(),
      };
    });
}

/** Share per millisecond a bucket has used this window since the cycle's first reading; 0 when unknown. */
function rateOf(window: QuotaWindow): number {
  if (window.firstSeenAt === undefined || window.firstUsed === undefined || window.used === undefined) return 0;
  const span = window.seenAt - window.firstSeenAt;
  if (span < shortestRateSpanMs) return 0;
  return Math.max(0, window.used - window.firstUsed) / span;
}

/** Per provider and window, the pool's totals: share used, spent buckets, next reset, and when it runs dry. */
export function summarizePool(entries: Iterable<[BucketKey, BucketQuota]>, now: number): PoolWindow[] {
  const groups = new Map<string, { provider: string; window: string; members: QuotaWindow[] }>();
  for (const [key, quota] of entries) {
    const provider = key.slice(0, key.indexOf('/'));
    for (const [name, stored] of Object.entries(quota.windows)) {
      const group = `${provider}\u0000${name}`;
      let entry = groups.get(group);
      if (entry === undefined) {
        entry = { provider, window: name, members: [] };
        groups.set(group, entry);
      }
      entry.members.push(stored);
    }
  }
  return [...groups.values()]
    .sort((left, right) => left.provider.localeCompare(right.provider) || compareWindowNames(left.window, right.window))
    .map(({ provider, window, members }) => summarizeWindow(provider, window, members, now));
}

function summarizeWindow(provider: string, name: string, members: QuotaWindow[], now: number): PoolWindow {
  let usedTotal = 0;
  let rejected = 0;
  let warning = 0;
  let rate = 0;
  let nextReset: number | undefined;
  for (const stored of members) {
    const window = currentWindow(stored, now);
    const used = window.used ?? (window.status === 'rejected' ? 1 : 0);
    usedTotal += used;
    if (window.status === 'rejected') rejected += 1;
    if (window.status === 'allowed_warning') warning += 1;
    // A window already reset has no rate yet in its new cycle.
    if (window === stored) rate += rateOf(stored);
    if (window.resetsAt !== undefined && window.resetsAt > now)
      nextReset = Math.min(nextReset ?? window.resetsAt, window.resetsAt);
  }
  const left = members.length - usedTotal;
  const runsDryAt = rate > 0 ? now + left / rate : undefined;
  return {
    provider,
    window: name,
    buckets: members.length,
    used: members.length === 0 ? 0 : usedTotal / members.length,
    rejected,
    warning,
    nextResetAt: nextReset === undefined ? null : new Date(nextReset).toISOString(),
    usedPerHour: rate > 0 ? (rate * 3_600_000) / members.length : null,
    runsDryAt: runsDryAt === undefined ? null : new Date(runsDryAt).toISOString(),
  };
}

/** Extra usage billed beyond the plan, as shown: it is never a spent window. */
export interface OverageView {
  status: string;
  resetsAt: string | null;
}

export function overageView(quota: BucketQuota | undefined): OverageView | null {
  const overage = quota?.overage;
  if (overage === undefined) return null;
  return {
    status: overage.status,
    resetsAt: overage.resetsAt === undefined ? null : new Date(overage.resetsAt).toISOString(),
  };
}
