import type { BucketKey, Clock } from '../core/types.js';
import {
  applyCall,
  type BucketStatistics,
  type CallRecord,
  emptyStatistics,
  type StatisticsStore,
} from './statistics.js';

/** Statistics in memory only; the file store wraps this and persists it. */
export class MemoryStatisticsStore implements StatisticsStore {
  protected readonly buckets = new Map<BucketKey, BucketStatistics>();
  protected changed = false;

  constructor(
    protected readonly clock: Clock,
    initial?: Record<string, BucketStatistics>,
  ) {
    for (const [key, value] of Object.entries(initial ?? {}))
      this.buckets.set(key as BucketKey, { ...emptyStatistics(), ...value });
  }

  protected entry(key: BucketKey): BucketStatistics {
    let statistics = this.buckets.get(key);
    if (!statistics) {
      statistics = emptyStatistics();
      this.buckets.set(key, statistics);
    }
    return statistics;
  }

  recordCall(key: BucketKey, call: CallRecord): void {
    applyCall(this.entry(key), call, this.clock.now());
    this.changed = true;
  }

  recordRefresh(key: BucketKey): void {
    this.entry(key).refreshes += 1;
    this.changed = true;
  }

  snapshot(): Record<BucketKey, BucketStatistics> {
    const copy: Record<BucketKey, BucketStatistics> = {};
    for (const [key, value] of this.buckets) copy[key] = { ...value };
    return copy;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
