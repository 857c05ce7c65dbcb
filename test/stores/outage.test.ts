import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessRefreshLock } from '../../src/auth/refresh-lock.js';
import { systemClock } from '../../src/core/types.js';
import { RedisBucketStateStore } from '../../src/state/cluster/redis-bucket-state-store.js';
import type { RedisConnection } from '../../src/state/cluster/redis-connection.js';
import { RedisStatisticsStore } from '../../src/state/cluster/redis-statistics-store.js';
import { RedisTokenStore } from '../../src/state/cluster/redis-token-store.js';
import { eventually, openConnection, type PrivateRedis, randomPrefix, startPrivateRedis } from '../support/redis.js';

/** The Redis stores across an outage of a private redis-server: local fallback, then write-back. */
let redis: PrivateRedis;
const connections: RedisConnection[] = [];

beforeAll(async () => {
  redis = await startPrivateRedis();
});

afterAll(async () => {
  for (const connection of connections) await connection.close();
  await redis?.close();
});

describe('Redis stores while Redis is away', () => {
  it('keep serving from local state and write back what changed meanwhile', async () => {
    const prefix = randomPrefix();
    const log: string[] = [];
    const a = await openConnection(redis.url, prefix, log);
    const b = await openConnection(redis.url, prefix);
    connections.push(a, b);
    const statesA = new RedisBucketStateStore({ connection: a, now: Date.now });
    const statesB = new RedisBucketStateStore({ connection: b, now: Date.now });
    const statisticsA = new RedisStatisticsStore({ connection: a, clock: systemClock, flushIntervalMs: 60_000 });
    const tokensA = new RedisTokenStore({
      connection: a,
      fallbackLock: createInProcessRefreshLock(),
      fallBackToMemory: true,
      encryption: { kind: 'none' },
    });
    const tokensB = new RedisTokenStore({
      connection: b,
      fallbackLock: createInProcessRefreshLock(),
      fallBackToMemory: true,
      encryption: { kind: 'none' },
    });
    const before = { access_token: 'before', refresh_token: 'refresh-before', expires_at: 1_900_000_000 };
    const during = { access_token: 'during', refresh_token: 'refresh-during', expires_at: 1_900_000_100 };
    const later = Date.now() + 600_000;

    await tokensA.write('codex', 'team', before);
    await tokensA.write('codex', 'other', before);
    statesA.set('codex/kept', { status: 'exhausted', until: later, reason: 'usage_limit_reached' });
    statisticsA.recordCall('codex/team', { status: 200 });
    await statesA.idle();
    await statisticsA.flush();

    await redis.stop();
    await eventually(() => !a.connected && !b.connected, 10_000, 'both connections to notice');
    expect(log).toContain(
      `lost Redis at ${a.url}: falling back to local state; traffic continues ` +
        `and changes are written back when it returns.`,
    );
    // Local state answers: what was read before, and what changes now.
    expect(await tokensA.read('codex', 'other')).toEqual(before);
    await tokensA.write('codex', 'team', during);
    expect(await tokensA.read('codex', 'team')).toEqual(during);
    statesA.set('codex/spent', { status: 'cooling', until: later, reason: '429' });
    expect(statesA.get('codex/spent')).toMatchObject({ status: 'cooling' });
    for (let index = 0; index < 5; index += 1) statisticsA.recordCall('codex/team', { status: 429 });
    await statisticsA.flush();
    expect(statisticsA.snapshot()['codex/team']).toMatchObject({ requests: 6, rateLimited: 5 });

    await redis.start();
    await eventually(() => a.connected && b.connected, 15_000, 'both connections to return');
    expect(log).toContain(`Redis at ${a.url} is back: writing local changes back and reloading shared state.`);
    // Another instance learns what A saw during the outage; nothing from before is lost.
    await eventually(() => statesB.get('codex/spent') !== undefined, 10_000, 'the outage state to reach B');
    expect(statesB.get('codex/kept')).toEqual({ status: 'exhausted', until: later, reason: 'usage_limit_reached' });
    await eventually(
      async () => JSON.stringify(await tokensB.read('codex', 'team')) === JSON.stringify(during),
      10_000,
      'the token written during the outage',
    );
    expect(await tokensB.read('codex', 'other')).toEqual(before);
    await statisticsA.synchronize();
    expect(statisticsA.snapshot()['codex/team']).toMatchObject({ requests: 6, successes: 1, rateLimited: 5 });
    expect(await b.client.hget(`${prefix}stats:codex/team`, 'requests')).toBe('6');

    for (const store of [statesA, statesB]) await store.close();
    await statisticsA.close();
  });
});
