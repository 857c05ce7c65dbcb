import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, sendMessage, startCluster } from '../support/cluster.js';
import { eventually, sharedRedisUrl } from '../support/redis.js';

/** Two `switchyard serve` processes sharing Redis: what one reads of a bucket's windows, the other shows. */
let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({
    redisUrl: sharedRedisUrl,
    instances: 2,
    profile: 'pool',
    profiles: { pool: 'type: model\nprovider: anthropic\nbuckets: [windows]\n' },
  });
  await cluster.addBucket('anthropic', 'windows');
}, 60_000);

afterAll(async () => {
  await cluster?.close();
});

interface QuotaAnswer {
  pool: { provider: string; window: string; used: number }[];
  buckets: { key: string; windows: { name: string; used: number; status: string }[] }[];
}

describe('quota shared by two instances through Redis', () => {
  it("shows on B, in GET /quota and `stats quota`, the windows of A's answer", async () => {
    const [a, b] = cluster.instances as [Cluster['instances'][0], Cluster['instances'][0]];
    const reset = String(Math.floor(Date.now() / 1000) + 7_200);
    cluster.simulator.script('anthropic-windows', [
      {
        kind: 'ok',
        headers: {
          'anthropic-ratelimit-unified-status': 'allowed',
          'anthropic-ratelimit-unified-5h-status': 'allowed',
          'anthropic-ratelimit-unified-5h-utilization': '0.37',
          'anthropic-ratelimit-unified-5h-reset': reset,
        },
      },
    ]);
    expect(await sendMessage(a.url)).toMatchObject({ status: 200, bucket: 'anthropic/windows' });
    const onB = async () => (await (await fetch(`${b.url}/quota`)).json()) as QuotaAnswer;
    await eventually(async () => (await onB()).buckets.some((bucket) => bucket.key === 'anthropic/windows'));
    const answer = await onB();
    expect(answer.buckets[0]?.windows).toEqual([
      expect.objectContaining({
        name: '5h',
        used: 0.37,
        status: 'allowed',
        resetsAt: new Date(Number(reset) * 1000).toISOString(),
      }),
    ]);
    expect(answer.pool).toEqual([expect.objectContaining({ provider: 'anthropic', window: '5h', used: 0.37 })]);
    const printed = await cluster.cli(['stats', 'quota'], 1);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/ {2}anthropic 5h: 1 bucket, 37 % used, 0 spent, next reset in (1 h 59 min|2 h)/);
  });
});
