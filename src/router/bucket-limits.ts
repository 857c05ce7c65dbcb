import Bottleneck from 'bottleneck';
import type { BucketKey } from '../core/types.js';
import type { BucketLimits } from '../profiles/types.js';

export type ReleaseSlot = () => void;

/**
 * Per-bucket concurrency and request-rate limits from the profile. A request over the limit
 * waits for a slot of that bucket; the slot is held until the answer has been fully relayed.
 */
export class BucketLimiters {
  private readonly limiters = new Map<BucketKey, Bottleneck>();

  /** Resolves with a release function, or undefined at once when the bucket has no limits. */
  acquire(key: BucketKey, limits: BucketLimits | undefined): Promise<ReleaseSlot> | undefined {
    if (!limits || (limits.maxConcurrent === undefined && limits.requestsPerMinute === undefined)) return undefined;
    const limiter = this.limiterFor(key, limits);
    return new Promise<ReleaseSlot>((resolveSlot, rejectSlot) => {
      limiter
        .schedule(() => new Promise<void>((releaseSlot) => resolveSlot(releaseSlot)))
        .catch(rejectSlot);
    });
  }

  private limiterFor(key: BucketKey, limits: BucketLimits): Bottleneck {
    let limiter = this.limiters.get(key);
    if (!limiter) {
      const perMinute = limits.requestsPerMinute;
      limiter = new Bottleneck({
        ...(limits.maxConcurrent !== undefined ? { maxConcurrent: limits.maxConcurrent } : {}),
        ...(perMinute !== undefined ? { reservoir: perMinute, reservoirRefreshAmount: perMinute, reservoirRefreshInterval: 60_000 } : {}),
      });
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  async close(): Promise<void> {
    await Promise.all([...this.limiters.values()].map((limiter) => limiter.disconnect()));
    this.limiters.clear();
  }
}
