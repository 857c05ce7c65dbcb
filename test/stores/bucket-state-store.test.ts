import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BucketKey, systemClock } from '../../src/core/types.js';
import { type BucketStateStore, createMemoryBucketStateStore } from '../../src/state/bucket-state-store.js';
import { RedisBucketStateStore } from '../../src/state/cluster/redis-bucket-state-store.js';
import type { RedisConnection } from '../../src/state/cluster/redis-connection.js';
import { FileStatisticsStore } from '../../src/state/file-statistics-store.js';
import { readStatsFile } from '../../src/state/stats-file.js';
import { deletePrefix, eventually, openConnection, randomPrefix, sharedRedisUrl } from '../support/redis.js';

/** One store and a way to open it again from what it persisted (a restart, or another instance). */
interface Opened {
  store: BucketStateStore;
  reopen(): Promise<BucketStateStore>;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function embedded(): Promise<Opened> {
  const directory = await mkdtemp(join(tmpdir(), 'switchyard-states-'));
  const path = join(directory, 'stats.json');
  const store = createMemoryBucketStateStore();
  // The embedded default persists states beside the counters in stats.json.
  const persisted = new FileStatisticsStore({
    path,
    clock: systemClock,
    initial: {},
    states: () => store.entries(),
    statesVersion: () => store.version,
    flushIntervalMs: 60_000,
    onError: () => undefined,
  });
  return {
    store,
    async reopen() {
      await persisted.flush();
      return createMemoryBucketStateStore((await readStatsFile(path, Date.now())).states);
    },
    async close() {
      await persisted.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function redis(): Promise<Opened> {
  const prefix = randomPrefix();
  const connections: RedisConnection[] = [];
  const open = async () => {
    const connection = await openConnection(sharedRedisUrl, prefix);
    connections.push(connection);
    const store = new RedisBucketStateStore({ connection, now: Date.now });
    await store.reload();
    return store;
  };
  const stores = [await open()];
  return {
    store: stores[0]!,
    async reopen() {
      // Writes travel in the background; a fresh instance must see them once they landed.
      for (const store of stores) await store.idle();
      const store = await open();
      stores.push(store);
      return store;
    },
    async close() {
      for (const store of stores) await store.close();
      for (const connection of connections) await connection.close();
      await deletePrefix(sharedRedisUrl, prefix);
    },
  };
}

describe.each([
  ['embedded (memory + stats.json)', embedded],
  ['Redis', redis],
])('bucket state store: %s', (_name, open) => {
  const key: BucketKey = 'anthropic/work1@company.com';

  it('reads what was set at once, and forgets what was cleared', async () => {
    const opened = await open();
    cleanups.push(opened.close);
    const { store } = opened;
    expect(store.get(key)).toBeUndefined();
    const until = Date.now() + 60_000;
    store.set(key, { status: 'cooling', until, reason: '429' });
    expect(store.get(key)).toEqual({ status: 'cooling', until, reason: '429' });
    expect([...store.entries()]).toEqual([[key, { status: 'cooling', until, reason: '429' }]]);
    store.clear(key);
    expect(store.get(key)).toBeUndefined();
    expect([...store.entries()]).toEqual([]);
  });

  it('raises its version on every change and not on a clear of nothing', async () => {
    const opened = await open();
    cleanups.push(opened.close);
    const { store } = opened;
    const start = store.version;
    store.set(key, { status: 'exhausted', until: Date.now() + 60_000 });
    expect(store.version).toBeGreaterThan(start);
    const afterSet = store.version;
    store.clear('openai/none');
    expect(store.version).toBe(afterSet);
    store.clear(key);
    expect(store.version).toBeGreaterThan(afterSet);
  });

  it('keeps resting and needs-login buckets across a reopen, but not a reset already past', async () => {
    const opened = await open();
    cleanups.push(opened.close);
    const { store } = opened;
    const until = Date.now() + 120_000;
    store.set(key, { status: 'exhausted', until, reason: 'usage_limit_reached' });
    store.set('codex/b', { status: 'needs-login', reason: 'invalid_grant' });
    store.set('gemini/c', { status: 'cooling', until: Date.now() - 1_000 });
    const reopened = await opened.reopen();
    expect(reopened.get(key)).toEqual({ status: 'exhausted', until, reason: 'usage_limit_reached' });
    expect(reopened.get('codex/b')).toEqual({ status: 'needs-login', reason: 'invalid_grant' });
    expect(reopened.get('gemini/c')).toBeUndefined();
  });
});

describe('bucket state store: Redis across instances', () => {
  it('shows a change made by one instance to the others, without a read on the hot path', async () => {
    const prefix = randomPrefix();
    const first = await openConnection(sharedRedisUrl, prefix);
    const second = await openConnection(sharedRedisUrl, prefix);
    const a = new RedisBucketStateStore({ connection: first, now: Date.now });
    const b = new RedisBucketStateStore({ connection: second, now: Date.now });
    try {
      const until = Date.now() + 60_000;
      a.set('anthropic/a', { status: 'cooling', until, reason: '429' });
      await eventually(() => b.get('anthropic/a') !== undefined, 5_000, 'the state to reach the second instance');
      expect(b.get('anthropic/a')).toEqual({ status: 'cooling', until, reason: '429' });
      const version = b.version;
      b.clear('anthropic/a');
      expect(b.version).toBeGreaterThan(version);
      await eventually(() => a.get('anthropic/a') === undefined, 5_000, 'the clear to reach the first instance');
      expect(await first.client.pttl(`${prefix}state:anthropic/a`)).toBe(-2);
    } finally {
      await a.close();
      await b.close();
      await first.close();
      await second.close();
      await deletePrefix(sharedRedisUrl, prefix);
    }
  });

  it('stores a resting state under the prefix, expiring at its reset', async () => {
    const prefix = randomPrefix();
    const connection = await openConnection(sharedRedisUrl, prefix);
    const store = new RedisBucketStateStore({ connection, now: Date.now });
    try {
      store.set('openai/x', { status: 'exhausted', until: Date.now() + 30_000 });
      store.set('openai/y', { status: 'needs-login', reason: 'invalid_grant' });
      await store.idle();
      const ttl = await connection.client.pttl(`${prefix}state:openai/x`);
      expect(ttl).toBeGreaterThan(20_000);
      expect(ttl).toBeLessThanOrEqual(30_000);
      expect(await connection.client.pttl(`${prefix}state:openai/y`)).toBe(-1);
    } finally {
      await store.close();
      await connection.close();
      await deletePrefix(sharedRedisUrl, prefix);
    }
  });
});
