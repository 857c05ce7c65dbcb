import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileRefreshLock } from '../../src/auth/file-refresh-lock.js';
import { RefreshFailedError } from '../../src/auth/refresh-failed-error.js';
import { createInProcessRefreshLock, type RefreshLock } from '../../src/auth/refresh-lock.js';
import { resolvePaths } from '../../src/config/paths.js';
import type { RedisConnection } from '../../src/state/cluster/redis-connection.js';
import { createRedisRefreshLock } from '../../src/state/cluster/redis-refresh-lock.js';
import { deletePrefix, openConnection, randomPrefix, sharedRedisUrl } from '../support/redis.js';

/**
 * Two locks over the same shared thing (one process's lock twice, two processes' file locks, two instances' Redis
 * locks).
 */
interface Opened {
  locks: [RefreshLock, RefreshLock];
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function inProcess(): Promise<Opened> {
  const lock = createInProcessRefreshLock();
  return { locks: [lock, lock], close: async () => undefined };
}

async function file(): Promise<Opened> {
  const home = await mkdtemp(join(tmpdir(), 'switchyard-locks-'));
  const paths = resolvePaths({ SWITCHYARD_HOME: home });
  return {
    locks: [createFileRefreshLock(paths), createFileRefreshLock(paths)],
    close: () => rm(home, { recursive: true, force: true }),
  };
}

async function redis(): Promise<Opened> {
  const prefix = randomPrefix();
  const connections: RedisConnection[] = [
    await openConnection(sharedRedisUrl, prefix),
    await openConnection(sharedRedisUrl, prefix),
  ];
  const lockOf = (connection: RedisConnection) =>
    createRedisRefreshLock({ connection, fallback: createInProcessRefreshLock() });
  return {
    locks: [lockOf(connections[0]!), lockOf(connections[1]!)],
    async close() {
      for (const connection of connections) await connection.close();
      await deletePrefix(sharedRedisUrl, prefix);
    },
  };
}

describe.each([
  ['in-process', inProcess],
  ['file', file],
  ['Redis', redis],
])('refresh lock: %s', (_name, open) => {
  it('never lets two holders of one bucket in at once, and lets other buckets through', async () => {
    const opened = await open();
    cleanups.push(opened.close);
    let inside = 0;
    let peak = 0;
    const hold = async () => {
      inside += 1;
      peak = Math.max(peak, inside);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inside -= 1;
    };
    await Promise.all(
      Array.from({ length: 8 }, (_, index) => opened.locks[index % 2]!.withLock('codex', 'team', hold)),
    );
    expect(peak).toBe(1);
    expect(await opened.locks[1].withLock('codex', 'other', async () => 'other bucket')).toBe('other bucket');
  });

  it('is free again after a holder failed', async () => {
    const opened = await open();
    cleanups.push(opened.close);
    await expect(
      opened.locks[0].withLock('anthropic', 'a', async () => Promise.reject(new Error('refresh failed'))),
    ).rejects.toThrow('refresh failed');
    expect(await opened.locks[1].withLock('anthropic', 'a', async () => 'next')).toBe('next');
  });
});

describe('refresh lock: Redis', () => {
  it('holds a token under the prefix with an expiry, and releases only its own token', async () => {
    const prefix = randomPrefix();
    const connection = await openConnection(sharedRedisUrl, prefix);
    try {
      const lock = createRedisRefreshLock({ connection, fallback: createInProcessRefreshLock() });
      const key = `${prefix}lock:refresh:anthropic:work1`;
      await lock.withLock('anthropic', 'work1', async () => {
        expect(await connection.client.pttl(key)).toBeGreaterThan(0);
        // Our lock expired and another instance took it: our release must leave theirs alone.
        await connection.client.set(key, 'someone-else');
      });
      expect(await connection.client.get(key)).toBe('someone-else');
    } finally {
      await connection.close();
      await deletePrefix(sharedRedisUrl, prefix);
    }
  });

  it('gives up on a lock held elsewhere with a retryable RefreshFailedError', async () => {
    const prefix = randomPrefix();
    const connection = await openConnection(sharedRedisUrl, prefix);
    try {
      await connection.client.set(`${prefix}lock:refresh:codex:team`, 'held-elsewhere', 'PX', 10_000);
      const lock = createRedisRefreshLock({ connection, fallback: createInProcessRefreshLock(), waitMs: 50 });
      const error = await lock.withLock('codex', 'team', async () => 'ran').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RefreshFailedError);
      expect(error).toMatchObject({ isRetryable: true, errorCode: 'lock_timeout' });
      expect((error as Error).message).toContain(
        `waited too long for redis redis://127.0.0.1:6379 key ${prefix}lock:refresh:codex:team`,
      );
    } finally {
      await connection.close();
      await deletePrefix(sharedRedisUrl, prefix);
    }
  });
});
