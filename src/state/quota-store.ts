import type { BucketQuota, QuotaReading, QuotaWindow } from '../core/quota.js';
import type { BucketKey } from '../core/types.js';

/**
 * What answers said about each bucket's usage windows (used share, status, reset, when seen).
 * Reads are synchronous, from memory; the embedded state writes it to quota.json, the cluster
 * shares it through Redis (cluster/redis-quota-store.ts).
 */
export interface QuotaStore {
  get(key: BucketKey): BucketQuota | undefined;
  /** Merges what one answer said, seen at `now`. */
  record(key: BucketKey, reading: QuotaReading, now: number): void;
  /** Forgets what was said about a bucket (`switchyard bucket reset`). */
  clear(key: BucketKey): void;
  entries(): IterableIterator<[BucketKey, BucketQuota]>;
  /** Increases on every change worth telling (see worthTelling), so writers know when to write. */
  readonly version: number;
  /**
   * Hears of every answer (this instance's or another's) whose shared windows are all allowed again:
   * a bucket resting for a spent quota can come back before its reset. `wasRejected`: a shared
   * window was rejected until then.
   */
  onAllowed(listener: AllowedListener): void;
}

export type AllowedListener = (key: BucketKey, wasRejected: boolean) => void;

/** Whether a quota shows a window every model shares as spent at `now`. */
function hasRejectedSharedWindow(quota: BucketQuota | undefined, now: number): boolean {
  if (quota === undefined) return false;
  for (const window of Object.values(quota.windows))
    if (
      window.family === undefined &&
      window.status === 'rejected' &&
      (window.resetsAt ?? Number.POSITIVE_INFINITY) > now
    )
      return true;
  return false;
}

/** Whether `incoming` describes a shared window later than what is known. */
function bringsNews(existing: BucketQuota | undefined, incoming: BucketQuota): boolean {
  for (const [name, window] of Object.entries(incoming.windows))
    if (window.family === undefined && (existing?.windows[name]?.seenAt ?? Number.NEGATIVE_INFINITY) < window.seenAt)
      return true;
  return false;
}

/** Whether what one answer said shows the account's shared windows all allowed. */
function showsAllowed(incoming: BucketQuota): boolean {
  let shared = 0;
  for (const window of Object.values(incoming.windows)) {
    if (window.family !== undefined) continue;
    if (window.status === 'rejected' || window.status === undefined) return false;
    shared += 1;
  }
  return shared > 0;
}

/** A used share moving less than this is not worth a write or a message; the next answer says it again. */
const shareStep = 0.01;
/** A window re-confirmed after this long is written anyway, so "when seen" does not grow stale in others' eyes. */
const refreshAfterMs = 60_000;

/**
 * Whether `next` says something `previous` did not: a new window, another status or reset, a used
 * share moved by a percent, or a minute since it was last told.
 */
export function worthTelling(previous: QuotaWindow | undefined, next: QuotaWindow): boolean {
  if (previous === undefined) return true;
  if (previous.status !== next.status || previous.family !== next.family) return true;
  if (Math.abs((previous.resetsAt ?? 0) - (next.resetsAt ?? 0)) >= 1_000) return true;
  if (Math.abs((previous.used ?? -1) - (next.used ?? -1)) >= shareStep) return true;
  return next.seenAt - previous.seenAt >= refreshAfterMs;
}

/** Resets this close together belong to one cycle of a window (a reset given in seconds from now drifts a little). */
const sameCycleMs = 60_000;

/**
 * `next` with the first reading of its cycle: carried over from `previous` while the window has
 * the same reset and its share has not dropped, else `next` starts a new cycle.
 */
function withCycleStart(previous: QuotaWindow | undefined, next: QuotaWindow): QuotaWindow {
  if (next.used === undefined) return next;
  if (next.firstSeenAt !== undefined && next.firstUsed !== undefined) return next;
  const sameCycle =
    previous?.firstSeenAt !== undefined &&
    previous.firstUsed !== undefined &&
    previous.used !== undefined &&
    next.used >= previous.used &&
    Math.abs((previous.resetsAt ?? 0) - (next.resetsAt ?? 0)) < sameCycleMs;
  return sameCycle
    ? { ...next, firstUsed: previous.firstUsed as number, firstSeenAt: previous.firstSeenAt as number }
    : { ...next, firstUsed: next.used, firstSeenAt: next.seenAt };
}

/** `reading` stamped with the time it was seen. */
export function stampReading(reading: QuotaReading, now: number): BucketQuota {
  const windows: Record<string, QuotaWindow> = {};
  for (const [name, window] of Object.entries(reading.windows)) windows[name] = { ...window, seenAt: now };
  const quota: BucketQuota = { windows };
  if (reading.overage !== undefined) quota.overage = { ...reading.overage, seenAt: now };
  if (reading.representativeClaim !== undefined) quota.representativeClaim = reading.representativeClaim;
  return quota;
}

/**
 * Two accounts of one bucket's quota joined window by window, the later-seen one winning each
 * window: instances hear each other's answers out of order.
 */
export function mergeQuota(
  existing: BucketQuota | undefined,
  incoming: BucketQuota,
): { merged: BucketQuota; changed: boolean } {
  const windows: Record<string, QuotaWindow> = { ...existing?.windows };
  let changed = false;
  for (const [name, window] of Object.entries(incoming.windows)) {
    const previous = windows[name];
    if (previous !== undefined && previous.seenAt > window.seenAt) continue;
    if (worthTelling(previous, window)) changed = true;
    windows[name] = withCycleStart(previous, window);
  }
  const merged: BucketQuota = { windows };
  const overage =
    incoming.overage !== undefined &&
    (existing?.overage === undefined || incoming.overage.seenAt >= existing?.overage.seenAt)
      ? incoming.overage
      : existing?.overage;
  if (overage !== undefined) merged.overage = overage;
  if (overage !== existing?.overage && overage?.status !== existing?.overage?.status) changed = true;
  const claim = incoming.representativeClaim ?? existing?.representativeClaim;
  if (claim !== undefined) merged.representativeClaim = claim;
  if (claim !== existing?.representativeClaim) changed = true;
  if (existing === undefined) changed = true;
  return { merged, changed };
}

/** Quota in this process's memory; `onChange` hears every change worth telling (the file writer, Redis). */
export class MemoryQuotaStore implements QuotaStore {
  private readonly quotas = new Map<BucketKey, BucketQuota>();
  private readonly allowedListeners: AllowedListener[] = [];
  private changes = 0;

  constructor(
    initial: Iterable<[BucketKey, BucketQuota]> = [],
    private readonly onChange?: (key: BucketKey, quota: BucketQuota | undefined) => void,
  ) {
    for (const [key, quota] of initial) this.quotas.set(key, quota);
  }

  get version(): number {
    return this.changes;
  }

  get(key: BucketKey): BucketQuota | undefined {
    return this.quotas.get(key);
  }

  entries(): IterableIterator<[BucketKey, BucketQuota]> {
    return this.quotas.entries();
  }

  record(key: BucketKey, reading: QuotaReading, now: number): void {
    this.merge(key, stampReading(reading, now), true);
  }

  onAllowed(listener: AllowedListener): void {
    this.allowedListeners.push(listener);
  }

  /** Joins another account of the bucket (another instance's); `tell` says whether onChange hears it. */
  merge(key: BucketKey, incoming: BucketQuota, tell: boolean): boolean {
    const existing = this.quotas.get(key);
    const { merged, changed } = mergeQuota(existing, incoming);
    // Kept even when not worth telling: selection reads the freshest share.
    this.quotas.set(key, merged);
    if (this.allowedListeners.length > 0 && showsAllowed(incoming)) {
      // Only news counts: a late message, or a reload of what is already known, says nothing about now.
      if (!bringsNews(existing, incoming)) return changed && this.told(key, merged, tell);
      const latest = Math.max(...Object.values(incoming.windows).map((window) => window.seenAt));
      const wasRejected = hasRejectedSharedWindow(existing, latest);
      for (const listener of this.allowedListeners) listener(key, wasRejected);
    }
    return changed && this.told(key, merged, tell);
  }

  private told(key: BucketKey, merged: BucketQuota, tell: boolean): true {
    this.changes += 1;
    if (tell) this.onChange?.(key, merged);
    return true;
  }

  /** Replaces a bucket's quota as a whole (a reload from shared state). */
  replace(key: BucketKey, quota: BucketQuota | undefined): void {
    if (quota === undefined) {
      if (this.quotas.delete(key)) this.changes += 1;
      return;
    }
    this.quotas.set(key, quota);
    this.changes += 1;
  }

  clear(key: BucketKey): void {
    if (!this.quotas.delete(key)) return;
    this.changes += 1;
    this.onChange?.(key, undefined);
  }
}
