import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, sendMessage, startCluster } from '../support/cluster.js';
import { eventually, type PrivateRedis, startPrivateRedis } from '../support/redis.js';

/**
 * Redis stopped in the middle of traffic and started again, on a private redis-server of this
 * test (never the shared one): no client request fails because of it, and nothing stored before
 * is lost.
 */
let redis: PrivateRedis;
let cluster: Cluster;

beforeAll(async () => {
  redis = await startPrivateRedis();
  cluster = await startCluster({
    redisUrl: redis.url,
    instances: 2,
    profile: 'pool',
    profiles: { pool: 'type: model\nprovider: anthropic\nbuckets: [primary, secondary, tertiary]\n' },
  });
  for (const bucket of ['primary', 'secondary', 'tertiary']) await cluster.addBucket('anthropic', bucket);
}, 60_000);

afterAll(async () => {
  await cluster?.close();
  await redis?.close();
});

async function health(url: string): Promise<{ state: { backend: string; connected: boolean } }> {
  return (await (await fetch(`${url}/health`)).json()) as { state: { backend: string; connected: boolean } };
}

describe('Redis stopped mid-run and started again', () => {
  it('serves every request, reports the outage, and writes back what changed meanwhile', async () => {
    const [a, b] = cluster.instances as [Cluster['instances'][0], Cluster['instances'][0]];
    const { simulator } = cluster;
    const inspect = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 200 });
    inspect.on('error', () => undefined);
    try {
      // Before the outage: the primary is spent for ten minutes, seen by A, known to both.
      simulator.script('anthropic-primary', [{ kind: 'rate-limit', style: 'retry-after-seconds', resetSeconds: 600 }]);
      expect(await sendMessage(a.url)).toMatchObject({ status: 200, bucket: 'anthropic/secondary' });
      expect(await sendMessage(b.url)).toMatchObject({ status: 200, bucket: 'anthropic/secondary' });

      // Traffic keeps flowing on both instances for the whole outage and recovery.
      let running = true;
      const failures: string[] = [];
      let served = 0;
      const traffic = (async () => {
        for (let index = 0; running; index += 1) {
          const answer = await sendMessage(cluster.instances[index % 2]!.url);
          if (answer.status !== 200) failures.push(`${answer.status} ${answer.attempts ?? ''}`);
          served += 1;
        }
      })();

      await redis.stop();
      for (const instance of [a, b]) {
        await eventually(
          async () => (await health(instance.url)).state.connected === false,
          10_000,
          'the instances to notice the outage',
        );
        expect((await health(instance.url)).state).toEqual({ backend: 'redis', connected: false });
      }
      // During the outage the secondary is spent too: each instance learns it from its own 429 and moves on at once.
      simulator.setBehavior('anthropic-secondary', {
        kind: 'rate-limit',
        style: 'retry-after-seconds',
        resetSeconds: 600,
      });
      for (const instance of [a, b]) {
        await eventually(
          async () => (await sendMessage(instance.url)).bucket === 'anthropic/tertiary',
          10_000,
          'the instances to move to the tertiary bucket',
        );
      }
      const servedDuringOutage = served;

      await redis.start();
      for (const instance of [a, b]) {
        await eventually(
          async () => (await health(instance.url)).state.connected,
          15_000,
          'the instances to reconnect',
        );
      }
      // Some traffic after the recovery, then stop.
      const servedAtRecovery = served;
      await eventually(() => served > servedAtRecovery + 10, 10_000, 'traffic after the recovery');
      running = false;
      await traffic;

      expect(failures).toEqual([]);
      expect(served).toBeGreaterThan(servedDuringOutage);
      expect(a.stderr()).toMatch(/lost Redis at redis:\/\/127\.0\.0\.1:\d+: falling back to local state/);
      expect(a.stderr()).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+ is back/);

      // What was stored before the outage is still there, and what changed meanwhile was written back.
      await inspect.connect();
      const prefix = cluster.prefix;
      expect(await inspect.exists(`${prefix}token:anthropic:primary`)).toBe(1);
      const resting = { status: expect.stringMatching(/^(cooling|exhausted)$/) as unknown };
      expect(JSON.parse((await inspect.get(`${prefix}state:anthropic/primary`)) ?? 'null')).toMatchObject(resting);
      // Written during the outage, into the mirrors only, and written back once Redis returned.
      expect(JSON.parse((await inspect.get(`${prefix}state:anthropic/secondary`)) ?? 'null')).toMatchObject(resting);
      // Statistics counted through the outage add up exactly once both instances have sent them.
      await eventually(
        async () =>
          Number(await inspect.hget(`${prefix}stats:anthropic/tertiary`, 'requests')) ===
          simulator.counts('anthropic-tertiary').requests,
        10_000,
        'the statistics counted during the outage to reach Redis',
      );
      expect(Number(await inspect.hget(`${prefix}stats:anthropic/primary`, 'requests'))).toBe(
        simulator.counts('anthropic-primary').requests,
      );
    } finally {
      inspect.disconnect();
    }
  });
});
