import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/manual-clock.js';
import { createMemoryBucketStateStore } from '../../src/state/bucket-state-store.js';
import type { RedisConnection } from '../../src/state/cluster/redis-connection.js';
import { RedisStatisticsStore } from '../../src/state/cluster/redis-statistics-store.js';
import { FileStatisticsStore } from '../../src/state/file-statistics-store.js';
import type { StatisticsStore } from '../../src/state/statistics.js';
import { readStatsFile } from '../../src/state/stats-file.js';
import { deletePrefix, openConnection, randomPrefix, sharedRedisUrl } from '../support/redis.js';

interface Opened {
  store: StatisticsStore;
  /** Closes the store (sending what it holds) and opens it again from what it persisted. */
  reopen(): Promise<StatisticsStore>;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function embedded(clock: ManualClock): Promise<Opened> {
  const directory = await mkdtemp(join(tmpdir(), 'switchyard-statistics-'));
  const path = join(directory, 'stats.json');
  const states = createMemoryBucketStateStore();
  const openAt = (initial: Awaited<ReturnType<typeof readStatsFile>>['statistics']) =>
    new FileStatisticsStore({
      path,
      clock,
      initial,
      states: () => states.entries(),
      statesVersion: () => states.version,
      flushIntervalMs: 60_000,
      onError: () => undefined,
    });
  const stores = [openAt({})];
  return {
    store: stores[0]!,
    async reopen() {
      for (const store of stores) await store.close();
      const store = openAt((await readStatsFile(path, clock.now())).statistics);
      stores.push(store);
      return store;
    },
    async close() {
      for (const store of stores) await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function redis(clock: ManualClock): Promise<Opened> {
  const prefix = randomPrefix();
  const connections: RedisConnection[] = [];
  const stores: RedisStatisticsStore[] = [];
  const open = async () => {
    const connection = await openConnection(sharedRedisUrl, prefix);
    connections.push(connection);
    const store = new RedisStatisticsStore({ connection, clock, flushIntervalMs: 60_000 });
    stores.push(store);
    return store;
  };
  const first = await open();
  return {
    store: first,
    async reopen() {
      for (const store of stores) await store.close();
      const store = await open();
      await store.synchronize();
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
])('statistics store: %s', (_name, open) => {
  it('counts every call by its outcome, with tokens and the last use', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const opened = await open(clock);
    cleanups.push(opened.close);
    const { store } = opened;
    store.recordCall('anthropic/a', { status: 200, inputTokens: 10, outputTokens: 4 });
    store.recordCall('anthropic/a', { status: 200, failed: true });
    store.recordCall('anthropic/a', { status: 429 });
    store.recordCall('anthropic/a', { status: 402 });
    clock.advance(1_000);
    store.recordCall('anthropic/a', { status: 401 });
    store.recordCall('anthropic/b', { status: 0 });
    store.recordRefresh('anthropic/a');
    const expected = {
      requests: 5,
      successes: 1,
      rateLimited: 1,
      paymentRequired: 1,
      unauthorized: 1,
      refreshes: 1,
      otherErrors: 1,
      timeouts: 0,
      cancelled: 0,
      inputTokens: 10,
      outputTokens: 4,
      lastUsed: 1_800_000_001_000,
      lastStatus: 401,
    };
    expect(store.snapshot()['anthropic/a']).toEqual(expected);
    expect(store.snapshot()['anthropic/b']).toMatchObject({ requests: 1, otherErrors: 1, lastStatus: 0 });
    // A snapshot is a copy: changing it changes nothing.
    store.snapshot()['anthropic/a']!.requests = 99;
    expect(store.snapshot()['anthropic/a']!.requests).toBe(5);

    const reopened = await opened.reopen();
    expect(reopened.snapshot()['anthropic/a']).toEqual(expected);
    reopened.recordCall('anthropic/a', { status: 200 });
    expect(reopened.snapshot()['anthropic/a']).toMatchObject({ requests: 6, successes: 2 });
  });

  it('is exact under many concurrent calls', async () => {
    const opened = await open(new ManualClock(0));
    cleanups.push(opened.close);
    await Promise.all(
      Array.from({ length: 1_000 }, async (_, index) =>
        opened.store.recordCall('codex/x', { status: index % 2 === 0 ? 200 : 429 }),
      ),
    );
    const reopened = await opened.reopen();
    expect(reopened.snapshot()['codex/x']).toMatchObject({ requests: 1_000, successes: 500, rateLimited: 500 });
  });
});

describe('statistics store: Redis across instances', () => {
  it("adds up what every instance counted, in either instance's snapshot", async () => {
    const prefix = randomPrefix();
    const clock = new ManualClock(1_800_000_000_000);
    const first = await openConnection(sharedRedisUrl, prefix);
    const second = await openConnection(sharedRedisUrl, prefix);
    const a = new RedisStatisticsStore({ connection: first, clock, flushIntervalMs: 60_000 });
    const b = new RedisStatisticsStore({ connection: second, clock, flushIntervalMs: 60_000 });
    try {
      for (let index = 0; index < 300; index += 1) a.recordCall('anthropic/a', { status: 200 });
      clock.advance(5);
      for (let index = 0; index < 200; index += 1) b.recordCall('anthropic/a', { status: 429 });
      await a.flush();
      await b.flush();
      await a.synchronize();
      await b.synchronize();
      for (const store of [a, b]) {
        expect(store.snapshot()['anthropic/a']).toMatchObject({
          requests: 500,
          successes: 300,
          rateLimited: 200,
          lastUsed: 1_800_000_000_005,
          lastStatus: 429,
        });
      }
      expect(await first.client.hget(`${prefix}stats:anthropic/a`, 'requests')).toBe('500');
    } finally {
      await a.close();
      await b.close();
      await first.close();
      await second.close();
      await deletePrefix(sharedRedisUrl, prefix);
    }
  });
});
