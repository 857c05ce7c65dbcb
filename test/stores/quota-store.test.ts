import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BucketKey } from '../../src/core/types.js';
import { releaseRestsWhenAllowed } from '../../src/router/quota-release.js';
import { RedisBucketStateStore } from '../../src/state/cluster/redis-bucket-state-store.js';
import type { RedisConnection } from '../../src/state/cluster/redis-connection.js';
import { RedisPausedBuckets } from '../../src/state/cluster/redis-paused-buckets.js';
import { RedisQuotaStore } from '../../src/state/cluster/redis-quota-store.js';
import { QuotaFileWriter, readQuotaFile } from '../../src/state/quota-file.js';
import { MemoryQuotaStore, type QuotaStore } from '../../src/state/quota-store.js';
import { deletePrefix, eventually, openConnection, randomPrefix, sharedRedisUrl } from '../support/redis.js';

/** One store and a way to open it again from what it kept (a restart, or another instance). */
interface Opened {
  store: QuotaStore;
  reopen(): Promise<QuotaStore>;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function embedded(): Promise<Opened> {
  const directory = await mkdtemp(join(tmpdir(), 'switchyard-quota-'));
  const path = join(directory, 'quota.json');
  const store = new MemoryQuotaStore();
  const writer = new QuotaFileWriter(path, store, 60_000, () => undefined);
  return {
    store,
    async reopen() {
      await writer.flush();
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      return new MemoryQuotaStore(await readQuotaFile(path));
    },
    async close() {
      await writer.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function redis(): Promise<Opened> {
  const prefix = randomPrefix();
  const connections: RedisConnection[] = [];
  const stores: RedisQuotaStore[] = [];
  const open = async () => {
    const connection = await openConnection(sharedRedisUrl, prefix);
    connections.push(connection);
    const store = new RedisQuotaStore({ connection });
    await store.reload();
    stores.push(store);
    return store;
  };
  const first = await open();
  return {
    store: first,
    async reopen() {
      for (const store of stores) await store.idle();
      return open();
    },
    async close() {
      for (const store of stores) await store.close();
      for (const connection of connections) await connection.close();
      await deletePrefix(sharedRedisUrl, prefix);
    },
  };
}

const key: BucketKey = 'anthropic/work1@company.com';
const now = Date.parse('2026-11-23T10:00:00Z');
const fiveHours = { used: 0.42, status: 'allowed' as const, resetsAt: now + 7_800_000 };
const opusWeek = { used: 1, status: 'rejected' as const, resetsAt: now + 3 * 86_400_000, family: 'opus' };

describe.each([
  ['embedded (memory + quota.json)', embedded],
  ['Redis', redis],
])('quota store: %s', (_name, open) => {
  it('keeps each window with when it was seen, across a reopen', async () => {
    const opened = await open();
    cleanups.push(opened.close);
    opened.store.record(
      key,
      {
        windows: { '5h': fiveHours, '7d_opus': opusWeek },
        overage: { status: 'allowed' },
        representativeClaim: 'five_hour',
      },
      now,
    );
    const expected = {
      // The first reading of a window's cycle is kept too: the rate the window is spent at starts there.
      windows: {
        '5h': { ...fiveHours, seenAt: now, firstUsed: 0.42, firstSeenAt: now },
        '7d_opus': { ...opusWeek, seenAt: now, firstUsed: 1, firstSeenAt: now },
      },
      overage: { status: 'allowed', seenAt: now },
      representativeClaim: 'five_hour',
    };
    expect(opened.store.get(key)).toEqual(expected);
    const reopened = await opened.reopen();
    expect(reopened.get(key)).toEqual(expected);
  });

  it('keeps the later-seen account of each window, and windows an answer did not mention', async () => {
    const opened = await open();
    cleanups.push(opened.close);
    const { store } = opened;
    store.record(key, { windows: { '5h': fiveHours, '7d': { used: 0.8, status: 'allowed' } } }, now);
    store.record(key, { windows: { '5h': { ...fiveHours, used: 0.5 } } }, now + 1_000);
    // An older answer arriving late does not undo the newer one.
    store.record(key, { windows: { '5h': { ...fiveHours, used: 0.3 } } }, now - 1_000);
    expect(store.get(key)?.windows['5h']?.used).toBe(0.5);
    expect(store.get(key)?.windows['7d']?.used).toBe(0.8);
  });

  it('raises its version for a change worth telling, not for the same share seen again at once', async () => {
    const opened = await open();
    cleanups.push(opened.close);
    const { store } = opened;
    store.record(key, { windows: { '5h': fiveHours } }, now);
    const version = store.version;
    store.record(key, { windows: { '5h': { ...fiveHours, used: 0.421 } } }, now + 100);
    expect(store.version).toBe(version);
    store.record(key, { windows: { '5h': { ...fiveHours, used: 0.5 } } }, now + 200);
    expect(store.version).toBeGreaterThan(version);
    store.clear(key);
    expect(store.get(key)).toBeUndefined();
  });
});

describe('quota store shared through Redis', () => {
  it('shows another instance what one instance read, and a reset by hand everywhere', async () => {
    const opened = await redis();
    cleanups.push(opened.close);
    const other = await opened.reopen();
    opened.store.record(key, { windows: { '5h': fiveHours } }, now);
    await eventually(() => other.get(key)?.windows['5h']?.used === 0.42);
    opened.store.clear(key);
    await eventually(() => other.get(key) === undefined);
  });
});

describe('early return across instances', () => {
  it("lifts a bucket's rest on one instance when another instance's answer shows it allowed again", async () => {
    const prefix = randomPrefix();
    const open = async () => {
      const connection = await openConnection(sharedRedisUrl, prefix);
      const quota = new RedisQuotaStore({ connection });
      const states = new RedisBucketStateStore({ connection, now: Date.now });
      releaseRestsWhenAllowed(quota, states);
      return { connection, quota, states };
    };
    const first = await open();
    const second = await open();
    cleanups.push(async () => {
      for (const instance of [first, second]) {
        await instance.quota.close();
        await instance.states.close();
        await instance.connection.close();
      }
      await deletePrefix(sharedRedisUrl, prefix);
    });
    const seen = Date.now();
    const weekLater = seen + 4 * 86_400_000;
    second.quota.record(key, { windows: { '7d': { used: 1, status: 'rejected', resetsAt: weekLater } } }, seen);
    second.states.set(key, { status: 'exhausted', until: weekLater, reason: 'rate_limit_error' });
    await eventually(() => first.states.get(key)?.status === 'exhausted');
    first.quota.record(key, { windows: { '7d': { used: 0.2, status: 'allowed', resetsAt: weekLater } } }, seen + 1_000);
    await eventually(() => second.states.get(key) === undefined && first.states.get(key) === undefined);
  });
});

describe('paused buckets shared through Redis', () => {
  it('shows a pause made on one instance to the other at once, and a resume likewise', async () => {
    const prefix = randomPrefix();
    const first = await openConnection(sharedRedisUrl, prefix);
    const second = await openConnection(sharedRedisUrl, prefix);
    const pausedHere = new RedisPausedBuckets(first);
    const pausedThere = new RedisPausedBuckets(second);
    cleanups.push(async () => {
      await pausedHere.close();
      await pausedThere.close();
      await first.close();
      await second.close();
      await deletePrefix(sharedRedisUrl, prefix);
    });
    await pausedHere.pause(key);
    expect(pausedHere.has(key)).toBe(true);
    await eventually(() => pausedThere.has(key));
    // A newcomer reads it from Redis at start.
    const third = await openConnection(sharedRedisUrl, prefix);
    const newcomer = new RedisPausedBuckets(third);
    await newcomer.reload();
    expect(newcomer.keys()).toEqual([key]);
    await newcomer.close();
    await third.close();
    await pausedThere.resume(key);
    await eventually(() => !pausedHere.has(key));
  });
});
