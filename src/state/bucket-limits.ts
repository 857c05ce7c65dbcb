import type Bottleneck from 'bottleneck';
import type { BucketKey } from '../core/types.js';
import type { BucketLimits } from '../profiles/types.js';

export type ReleaseSlot = () => void;

/** Hands out per-bucket slots; the embedded limiters hold per process, the Redis ones across the cluster. */
export interface BucketSlots {
  /** Resolves with a release function, or undefined at once when the bucket has no limits. */
  acquire(key: BucketKey, limits: BucketLimits | undefined): Promise<ReleaseSlot> | undefined;
  close(): Promise<void>;
}

/** Whether a profile's limits limit anything. */
export function hasLimits(limits: BucketLimits): boolean {
  return limits.maxConcurrent !== undefined || limits.requestsPerMinute !== undefined;
}

/**
 * Per-bucket concurrency and request-rate limits from the profile. A request over the limit
 * waits for a slot of that bucket; the slot is held until the answer has been fully relayed.
 */
export class BucketLimiters implements BucketSlots {
  private readonly limiters = new Map<BucketKey, Bottleneck>();
  /** bottleneck, loaded with the first limited bucket: most pools have none, and `serve` starts without it. */
  private bottleneck: Promise<typeof Bottleneck> | undefined;

  /** Resolves with a release function, or undefined at once when the bucket has no limits. */
  acquire(key: BucketKey, limits: BucketLimits | undefined): Promise<ReleaseSlot> | undefined {
    if (!limits || !hasLimits(limits)) return undefined;
    const limiter = this.limiters.get(key);
    // Requests that wait for the module keep their order: they resume in the order they came.
    return limiter ? slotOf(limiter) : this.createLimiter(key, limits).then(slotOf);
  }

  private async createLimiter(key: BucketKey, limits: BucketLimits): Promise<Bottleneck> {
    this.bottleneck ??= import('bottleneck').then((module) => module.default);
    const Limiter = await this.bottleneck;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      const perMinute = limits.requestsPerMinute;
      limiter = new Limiter({
        ...(limits.maxConcurrent !== undefined ? { maxConcurrent: limits.maxConcurrent } : {}),
        ...(perMinute !== undefined
          ? { reservoir: perMinute, reservoirRefreshAmount: perMinute, reservoirRefreshInterval: 60_000 }
          : {}),
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

/** A slot of `limiter`, held until the returned function is called. */
function slotOf(limiter: Bottleneck): Promise<ReleaseSlot> {
  return new Promise<ReleaseSlot>((resolveSlot, rejectSlot) => {
    limiter.schedule(() => new Promise<void>((releaseSlot) => resolveSlot(releaseSlot))).catch(rejectSlot);
  });
}
