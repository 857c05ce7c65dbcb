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
  if (existing === undefined) return { merged: incoming, changed: true };
  const windows: Record<string, QuotaWindow> = { ...existing.windows };
  let changed = false;
  for (const [name, window] of Object.entries(incoming.windows)) {
    const previous = windows[name];
    if (previous !== undefined && previous.seenAt > window.seenAt) continue;
    if (worthTelling(previous, window)) changed = true;
    windows[name] = window;
  }
  const merged: BucketQuota = { windows };
  const overage =
    incoming.overage !== undefined &&
    (existing.overage === undefined || incoming.overage.seenAt >= existing.overage.seenAt)
      ? incoming.overage
      : existing.overage;
  if (overage !== undefined) merged.overage = overage;
  if (overage !== existing.overage && overage?.status !== existing.overage?.status) changed = true;
  const claim = incoming.representativeClaim ?? existing.representativeClaim;
  if (claim !== undefined) merged.representativeClaim = claim;
  if (claim !== existing.representativeClaim) changed = true;
  return { merged, changed };
}

/** Quota in this process's memory; `onChange` hears every change worth telling (the file writer, Redis). */
export class MemoryQuotaStore implements QuotaStore {
  private readonly quotas = new Map<BucketKey, BucketQuota>();
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

  /** Joins another account of the bucket (another instance's); `tell` says whether onChange hears it. */
  merge(key: BucketKey, incoming: BucketQuota, tell: boolean): boolean {
    const { merged, changed } = mergeQuota(this.quotas.get(key), incoming);
    // Kept even when not worth telling: selection reads the freshest share.
    this.quotas.set(key, merged);
    if (!changed) return false;
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
