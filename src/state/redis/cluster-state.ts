import { createFileRefreshLock } from '../../auth/file-refresh-lock.js';
import type { RefreshLock } from '../../auth/refresh-lock.js';
import type { SwitchyardPaths } from '../../config/paths.js';
import type { Clock } from '../../core/types.js';
import type { BucketStateStore } from '../bucket-state-store.js';
import type { StatisticsStore } from '../statistics.js';
import { RedisBucketLimiters } from './redis-bucket-limiters.js';
import { RedisBucketStateStore } from './redis-bucket-state-store.js';
import { RedisConnection } from './redis-connection.js';
import { RedisSessionStickiness } from './redis-session-stickiness.js';
import type { RedisSettings } from './redis-settings.js';
import { RedisStatisticsStore } from './redis-statistics-store.js';
import { RedisTokenStore } from './redis-token-store.js';
import type { TokenKeySetting } from '../../auth/token-key.js';

/** What `/health` says about where state lives. */
export type StateHealth = { backend: 'embedded' } | { backend: 'redis'; connected: boolean };

/** Every shared store of one instance in cluster mode, over one Redis connection. */
export interface ClusterState {
  connection: RedisConnection;
  states: BucketStateStore;
  statistics: StatisticsStore;
  tokens: RedisTokenStore;
  limiters: RedisBucketLimiters;
  sessions: RedisSessionStickiness;
  health(): StateHealth;
  close(): Promise<void>;
}

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
 * Connects to Redis (waiting briefly; an unreachable Redis is reported and the instance serves
 * from local state meanwhile) and loads the shared state into the local mirrors.
 */
export async function openClusterState(options: OpenClusterStateOptions): Promise<ClusterState> {
  const { clock, log } = options;
  const connection = new RedisConnection({ ...options.settings, log });
  await connection.start();
  const onError = () => undefined; // each loss is reported once by the connection; individual failures add nothing
  const states = new RedisBucketStateStore({ connection, now: () => clock.now(), onError });
  await states.reload();
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
    connection,
    states,
    statistics,
    tokens,
    limiters,
    sessions,
    health: () => ({ backend: 'redis', connected: connection.connected }),
    async close() {
      await statistics.close();
      await states.close();
      await limiters.close();
      await connection.close();
    },
  };
}
