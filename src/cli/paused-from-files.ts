import type { BucketKey } from '../core/types.js';
import { RedisPausedBuckets } from '../state/cluster/redis-paused-buckets.js';
import type { RedisSettings } from '../state/cluster/redis-settings.js';
import { readPausedFile } from '../state/paused-buckets.js';
import { withCluster } from './cluster-access.js';
import { CliError, type CliIo } from './io.js';

/** The buckets paused by hand when no server runs here: the cluster's Redis set, else paused.json. */
export async function loadPausedKeys(io: CliIo, cluster: RedisSettings | undefined): Promise<BucketKey[]> {
  if (cluster)
    return withCluster(cluster, 'the paused buckets cannot be read', async (connection) => {
      const paused = new RedisPausedBuckets(connection);
      try {
        await paused.reload();
        return paused.keys();
      } finally {
        await paused.close();
      }
    });
  return readPausedFile(io.paths.paused).catch((error: unknown) => {
    throw new CliError(error instanceof Error ? error.message : String(error));
  });
}
