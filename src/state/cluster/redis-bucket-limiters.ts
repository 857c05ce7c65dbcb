import Bottleneck from 'bottleneck';
import type { BucketKey } from '../../core/types.js';
import type { BucketLimits } from '../../profiles/types.js';
import { BucketLimiters, type BucketSlots, hasLimits, type ReleaseSlot } from '../bucket-limits.js';
import type { RedisConnection } from './redis-connection.js';

/** Limiter keys vanish from Redis after this long unused. */
const idleExpiryMs = 15 * 60_000;

export interface RedisBucketLimitersOptions {
  connection: RedisConnection;
  onError?: (error: unknown) => void;
}

/**
 * Per-bucket limits held across the cluster by bottleneck's ioredis clustering mode (its Lua
 * scripts keep one count of running requests per bucket in Redis; keys `b_<prefix>limiter:<bucket>_*`,
 * as bottleneck names them, expiring when idle). While Redis is away, and for any request that
 * was still waiting when it went, each instance falls back to its own limiter: the limit then
 * holds per instance rather than across them.
 */
export class RedisBucketLimiters implements BucketSlots {
  private readonly local = new BucketLimiters();
  private limiters = new Map<BucketKey, Bottleneck>();
  private readonly bottleneckConnection: Bottleneck.IORedisConnection;

  constructor(private readonly options: RedisBucketLimitersOptions) {
    // A client of its own: bottleneck defines its scripts on it and subscribes a duplicate of it.
    this.bottleneckConnection = new Bottleneck.IORedisConnection({ client: options.connection.duplicateClient() });
    this.bottleneckConnection.on('error', (error: unknown) => options.onError?.(error));
    // Slots taken before an outage may never be freed in Redis: start over with new limiter
    // clients, whose stale counts bottleneck drops once their heartbeat stops.
    options.connection.onRestored(() => this.retire());
  }

  acquire(key: BucketKey, limits: BucketLimits | undefined): Promise<ReleaseSlot> | undefined {
    if (!limits || !hasLimits(limits)) return undefined;
    const { connection } = this.options;
    if (!connection.connected) return this.local.acquire(key, limits);
    const limiter = this.limiterFor(key, limits);
    return new Promise<ReleaseSlot>((resolveSlot) => {
      let settled = false;
      const fallBack = () => {
        if (settled) return;
        settled = true;
        stopWatching();
        resolveSlot(this.local.acquire(key, limits) ?? Promise.resolve(() => undefined));
      };
      const stopWatching = connection.onLost(fallBack);
      limiter
        .schedule(
          () =>
            new Promise<void>((releaseSlot) => {
              // Granted after this request already fell back: hand the slot straight back.
              if (settled) return releaseSlot();
              settled = true;
              stopWatching();
              resolveSlot(releaseSlot);
            }),
        )
        .catch(fallBack);
    });
  }

  async close(): Promise<void> {
    this.retire();
    await this.local.close();
    await Promise.resolve(this.bottleneckConnection.disconnect(false)).catch(() => undefined);
  }

  private limiterFor(key: BucketKey, limits: BucketLimits): Bottleneck {
    let limiter = this.limiters.get(key);
    if (!limiter) {
      const perMinute = limits.requestsPerMinute;
      limiter = new Bottleneck({
        id: this.options.connection.key('limiter', key),
        datastore: 'ioredis',
        connection: this.bottleneckConnection,
        clearDatastore: false,
        timeout: idleExpiryMs,
        ...(limits.maxConcurrent !== undefined ? { maxConcurrent: limits.maxConcurrent } : {}),
        ...(perMinute !== undefined
          ? { reservoir: perMinute, reservoirRefreshAmount: perMinute, reservoirRefreshInterval: 60_000 }
          : {}),
      });
      limiter.on('error', (error: unknown) => this.options.onError?.(error));
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  private retire(): void {
    // With a shared connection bottleneck's disconnect returns nothing, or throws if already gone.
    for (const limiter of this.limiters.values()) {
      try {
        void Promise.resolve(limiter.disconnect(false)).catch(() => undefined);
      } catch {
        // already disconnected
      }
    }
    this.limiters = new Map();
  }
}
