import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, sendMessage, startCluster } from '../support/cluster.js';
import { eventually, openConnection, sharedRedisUrl } from '../support/redis.js';

/**
 * Two `switchyard serve` processes sharing the real Redis: each dashboard charts the whole
 * cluster's traffic and shows its whole usage and cost.
 */
let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({
    redisUrl: sharedRedisUrl,
    instances: 2,
    profile: 'charted',
    profiles: { charted: 'type: model\nprovider: anthropic\nbuckets: [charted]\n' },
  });
  await cluster.addBucket('anthropic', 'charted');
}, 60_000);

afterAll(async () => {
  await cluster?.close();
});

interface SeriesAnswer {
  series: { name: string; requests: number[] }[];
}

interface UsageAnswer {
  buckets: { name: string; requests: number; inputTokens: number; outputTokens: number; cost: number | null }[];
}

/** The bucket's usage line; undefined while the instance answers otherwise (its last answer is kept, to show). */
let lastUsageAnswer = '';
async function usageOn(url: string, bucket: string): Promise<UsageAnswer['buckets'][0] | undefined> {
  const answer = await fetch(`${url}/dashboard/data/usage`);
  const text = await answer.text();
  lastUsageAnswer = `${answer.status} ${text.slice(0, 300)}`;
  if (answer.status !== 200) return undefined;
  return (JSON.parse(text) as UsageAnswer).buckets.find((line) => line.name === bucket);
}

async function requestsOn(url: string, bucket: string): Promise<number> {
  const view = (await (await fetch(`${url}/dashboard/data/series?range=hour`)).json()) as SeriesAnswer;
  return (view.series.find((entry) => entry.name === bucket)?.requests ?? []).reduce((sum, count) => sum + count, 0);
}

describe('the dashboard charts in cluster mode', () => {
  it("draw every instance's requests and usage, shared through Redis and kept there", async () => {
    const [a, b] = cluster.instances as [Cluster['instances'][0], Cluster['instances'][0]];
    expect((await sendMessage(a.url)).status).toBe(200);
    expect((await sendMessage(a.url)).status).toBe(200);
    expect((await sendMessage(b.url)).status).toBe(200);
    // B draws A's two requests beside its own one, and A draws B's.
    await eventually(async () => (await requestsOn(b.url, 'anthropic/charted')) === 3, 10_000, 'B charting 3');
    await eventually(async () => (await requestsOn(a.url, 'anthropic/charted')) === 3, 10_000, 'A charting 3');
    // Usage and cost too: each instance shows the sum of both.
    await eventually(
      async () => (await usageOn(a.url, 'anthropic/charted'))?.requests === 3,
      10_000,
      'A usage 3',
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; last answer: ${lastUsageAnswer}; ${a.stderr().slice(-1500)}`);
    });
    await eventually(async () => (await usageOn(b.url, 'anthropic/charted'))?.requests === 3, 10_000, 'B usage 3');
    const summed = (await usageOn(b.url, 'anthropic/charted'))!;
    expect(summed, lastUsageAnswer).toBeDefined();
    expect(await usageOn(a.url, 'anthropic/charted')).toEqual(summed);
    expect(summed.inputTokens).toBeGreaterThan(0);
    expect(summed.cost).toBeGreaterThan(0);
    const connection = await openConnection(sharedRedisUrl, cluster.prefix);
    try {
      expect(await connection.client.scard(`${cluster.prefix}dashboard:series`)).toBe(2);
      expect(await connection.client.scard(`${cluster.prefix}dashboard:usage`)).toBe(2);
    } finally {
      await connection.close();
    }
    // A stopped instance's history stays: B still draws it.
    await a.stop();
    cluster.instances.splice(cluster.instances.indexOf(a), 1);
    expect(await requestsOn(b.url, 'anthropic/charted')).toBe(3);
    expect(await usageOn(b.url, 'anthropic/charted')).toEqual(summed);
  });
});
