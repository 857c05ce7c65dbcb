import { type BucketKey, type BucketState, systemClock } from '../../core/types.js';
import type { BucketStatistics } from '../statistics.js';
import { RedisBucketStateStore } from './redis-bucket-state-store.js';
import type { RedisConnection } from './redis-connection.js';
import { RedisStatisticsStore } from './redis-statistics-store.js';

/** The cluster's statistics and bucket states as Redis holds them now (`stats buckets` with no server running here). */
export async function readClusterStatistics(
  connection: RedisConnection,
): Promise<{ statistics: Record<BucketKey, BucketStatistics>; states: [BucketKey, BucketState][] }> {
  const statistics = new RedisStatisticsStore({ connection, clock: systemClock });
  const states = new RedisBucketStateStore({ connection, now: () => Date.now() });
  try {
    await statistics.synchronize();
    await states.reload();
    return { statistics: statistics.snapshot(), states: [...states.entries()] };
  } finally {
    await statistics.close();
    await states.close();
  }
}
