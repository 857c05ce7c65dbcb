import { randomUUID } from 'node:crypto';
import { RefreshFailedError } from '../../auth/refresh-failed-error.js';
import type { RefreshLock } from '../../auth/refresh-lock.js';
import type { RedisConnection } from './redis-connection.js';

/**
 * Deletes the lock only if it still holds our token: a lock that expired and was taken by another instance is theirs.
 */
const releaseScript =
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', ` + `KEYS[1]) else return 0 end`;

export interface RedisRefreshLockOptions {
  connection: RedisConnection;
  /** Used while Redis is away (the file lock: at least this host's processes stay apart). */
  fallback: RefreshLock;
  /** A holder that died frees the lock after this long (default 30 s). */
  ttlMs?: number;
  /** How long to wait for another instance's refresh (default 15 s). */
  waitMs?: number;
}

/**
 * The refresh lock across every instance of the cluster: `SET <prefix>lock:refresh:<provider>:<bucket>
 * <random token> NX PX ttl`, released by a script that deletes it only while it holds our token.
 */
export function createRedisRefreshLock(options: RedisRefreshLockOptions): RefreshLock {
  const { connection, fallback } = options;
  const ttlMs = options.ttlMs ?? 30_000;
  const waitMs = options.waitMs ?? 15_000;
  return {
    async withLock(provider, bucket, fn) {
      if (!connection.connected) return fallback.withLock(provider, bucket, fn);
      const key = connection.key('lock', 'refresh', provider, bucket);
      const token = randomUUID();
      const deadline = Date.now() + waitMs;
      for (let attempt = 0; ; attempt += 1) {
        let taken: string | null;
        try {
          taken = await connection.client.set(key, token, 'PX', ttlMs, 'NX');
        } catch {
          // Redis went away while we waited: this host's lock is the best left.
          return fallback.withLock(provider, bucket, fn);
        }
        if (taken === 'OK') break;
        if (Date.now() >= deadline) {
          throw new RefreshFailedError(provider, bucket, {
            url: `redis ${connection.url} key ${key}`,
            errorCode: 'lock_timeout',
            isRetryable: true,
          });
        }
        await sleep(Math.min(20 + attempt * 10, 100) * (0.5 + Math.random()));
      }
      try {
        return await fn();
      } finally {
        await connection.client.eval(releaseScript, 1, key, token).catch(() => undefined);
      }
    },
  };
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
