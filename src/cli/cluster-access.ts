import { createFileTokenStore } from '../auth/file-token-store.js';
import { readTokenKey } from '../auth/token-key.js';
import type { TokenStore } from '../auth/token-store.js';
import { loadSettings } from '../config/load-settings.js';
import { RedisConnection } from '../state/cluster/redis-connection.js';
import { type RedisSettings, redisSettingsOf } from '../state/cluster/redis-settings.js';
import { RedisTokenStore, RedisUnavailableError } from '../state/cluster/redis-token-store.js';
import { CliError, type CliIo } from './io.js';

/** The cluster's Redis when one is configured (SWITCHYARD_REDIS_URL or `state.redis`), else undefined. */
export async function clusterSettingsOf(io: CliIo): Promise<RedisSettings | undefined> {
  return redisSettingsOf(await loadSettings(io.paths), io.environment);
}

/**
 * Runs `action` on a fresh connection to the cluster's Redis, closed afterwards; an unreachable Redis is a CliError.
 */
export async function withCluster<T>(
  settings: RedisSettings,
  action: string,
  run: (connection: RedisConnection) => Promise<T>,
): Promise<T> {
  const connection = new RedisConnection({ ...settings, log: () => undefined });
  try {
    await connection.start();
    if (!connection.connected) throw new CliError(new RedisUnavailableError(connection.url, action).message);
    return await run(connection);
  } catch (error) {
    if (error instanceof RedisUnavailableError) throw new CliError(error.message);
    throw error;
  } finally {
    await connection.close();
  }
}

/**
 * Where the CLI reads and writes tokens: the cluster's Redis when configured (so `auth import`
 * reaches every instance), else the token files. Each call uses a short-lived connection.
 */
export async function cliTokenStore(io: CliIo): Promise<TokenStore> {
  const settings = await clusterSettingsOf(io);
  const encryption = readTokenKey(io.environment);
  if (settings === undefined) return createFileTokenStore(io.paths, { encryption });
  const on = <T>(action: string, run: (store: RedisTokenStore) => Promise<T>) =>
    withCluster(settings, action, (connection) =>
      run(new RedisTokenStore({ connection, fallBackToMemory: false, fallbackLock: noLock, encryption })),
    );
  return {
    read: (provider, bucket) => on('tokens cannot be read', (store) => store.read(provider, bucket)),
    write: (provider, bucket, credential) =>
      on('tokens cannot be stored', (store) => store.write(provider, bucket, credential)),
    delete: (provider, bucket) => on('tokens cannot be deleted', (store) => store.delete(provider, bucket)),
    list: (provider) => on('buckets cannot be listed', (store) => store.list(provider)),
  };
}

/** The CLI never refreshes tokens, so it never takes the refresh lock. */
const noLock = { withLock: <T>(_provider: string, _bucket: string, fn: () => Promise<T>) => fn() };
