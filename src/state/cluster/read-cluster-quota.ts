import type { BucketQuota } from '../../core/quota.js';
import type { BucketKey } from '../../core/types.js';
import type { RedisConnection } from './redis-connection.js';
import { RedisQuotaStore } from './redis-quota-store.js';

/** Every bucket's usage windows as the cluster's Redis holds them (`stats quota` with no server running here). */
export async function readClusterQuota(connection: RedisConnection): Promise<[BucketKey, BucketQuota][]> {
  const store = new RedisQuotaStore({ connection });
  try {
    await store.reload();
    return [...store.entries()];
  } finally {
    await store.close();
  }
}
