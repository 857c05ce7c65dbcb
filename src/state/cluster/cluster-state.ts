import { createFileRefreshLock } from '../../auth/file-refresh-lock.js';
import type { RefreshLock } from '../../auth/refresh-lock.js';
import type { TokenKeySetting } from '../../auth/token-key.js';
import type { SwitchyardPaths } from '../../config/paths.js';
import type { Clock } from '../../core/types.js';
import { readActiveProfile } from '../../profiles/active-profile.js';
import type { StateBackend } from '../state-backend.js';
import { followSharedActiveProfile, readSharedActiveProfile, shareActiveProfile } from './redis-active-profile.js';
import { RedisBucketLimiters } from './redis-bucket-limiters.js';
import { RedisBucketStateStore } from './redis-bucket-state-store.js';
import { RedisConnection } from './redis-connection.js';
import { RedisHistoryShelf } from './redis-history-shelf.js';
import { RedisPausedBuckets } from './redis-paused-buckets.js';
import { RedisQuotaStore } from './redis-quota-store.js';
import { RedisSessionStickiness } from './redis-session-stickiness.js';
import type { RedisSettings } from './redis-settings.js';
import { RedisStatisticsStore } from './redis-statistics-store.js';
import { RedisTokenStore } from './redis-token-store.js';

export interface OpenClusterStateOptions {
  settings: RedisSettings;
  paths: SwitchyardPaths;
  clock: Clock;
  log: (message: string) => void;
  /** SWITCHYARD_TOKEN_KEY as read by the caller: tokens in Redis are encrypted as token files are. */
  encryption?: TokenKeySetting;
  /** While Redis is away the refresh lock falls back to this (default: the token files' lock on this host). */
  fallbackLock?: RefreshLock;
}

/**
 * The cluster's shared state, every store over one Redis connection. Connects (waiting briefly; an
 * unreachable Redis is reported and the instance serves from local state meanwhile) and loads the
 * shared state into the local mirrors.
 */
export async function openClusterState(options: OpenClusterStateOptions): Promise<StateBackend> {
  const { clock, log } = options;
  const connection = new RedisConnection({ ...options.settings, log });
  await connection.start();
  const onError = () => undefined; // each loss is reported once by the connection; individual failures add nothing
  const states = new RedisBucketStateStore({ connection, now: () => clock.now(), onError });
  await states.reload();
  const quota = new RedisQuotaStore({ connection, onError });
  await quota.reload();
  const paused = new RedisPausedBuckets(connection, onError);
  await paused.reload();
  const statistics = new RedisStatisticsStore({ connection, clock, onError });
  await statistics.synchronize();
  const tokens = new RedisTokenStore({
    connection,
    fallbackLock: options.fallbackLock ?? createFileRefreshLock(options.paths),
    fallBackToMemory: true,
    ...(options.encryption !== undefined ? { encryption: options.encryption } : {}),
  });
  await tokens.warm();
  const limiters = new RedisBucketLimiters({ connection, onError });
  const sessions = new RedisSessionStickiness({ connection });
  return {
    states,
    statistics,
    quota,
    paused,
    tokens,
    limiters,
    history: new RedisHistoryShelf(connection),
    // Usage and cost count since the cluster began: a gone instance's share stays for a year.
    usageHistory: new RedisHistoryShelf(connection, 'usage', 366 * 24 * 60 * 60),
    sessions: (chain) => sessions.forChain(chain),
    // Chosen for the whole cluster with `profile load`, else what this host's state.json says.
    activeProfile: async () => (await readSharedActiveProfile(connection)) ?? (await readActiveProfile(options.paths)),
    followActiveProfile: (profiles, log) => followSharedActiveProfile(connection, profiles, log),
    announceProfile: (name) => shareActiveProfile(connection, name),
    // Every write to the cluster's tokens is announced; the store re-reads it, then tells the listener.
    watchLogins: async (listener) => tokens.onChange(listener),
    health: () => ({ backend: 'redis', connected: connection.connected }),
    async close() {
      await statistics.close();
      await states.close();
      await quota.close();
      await paused.close();
      await limiters.close();
      await connection.close();
    },
  };
}
