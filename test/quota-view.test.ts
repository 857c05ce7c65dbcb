import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anthropicDriver } from './support/format-drivers.js';
import { createHarness, type Harness } from './support/harness.js';
import { scrape } from './support/prometheus.js';
import { runBinary } from './support/run-binary.js';

/** `stats buckets`, `stats quota`, GET /quota and the gauges, showing the windows answers described. */
let harness: Harness;
let url: string;
let now: number;
const seconds = (offset: number) => String(Math.floor(now / 1000) + offset);

function windows(fiveHours: string, week: string, opus: 'allowed' | 'rejected'): Record<string, string> {
  return {
    'anthropic-ratelimit-unified-status': 'allowed',
    'anthropic-ratelimit-unified-5h-status': 'allowed',
    'anthropic-ratelimit-unified-5h-utilization': fiveHours,
    'anthropic-ratelimit-unified-5h-reset': seconds(2 * 3600 + 10 * 60),
    'anthropic-ratelimit-unified-7d-status': Number(week) >= 0.8 ? 'allowed_warning' : 'allowed',
    'anthropic-ratelimit-unified-7d-utilization': week,
    'anthropic-ratelimit-unified-7d-reset': seconds(3 * 86_400),
    'anthropic-ratelimit-unified-7d_opus-status': opus,
    'anthropic-ratelimit-unified-7d_opus-utilization': opus === 'rejected' ? '1.0' : '0.2',
    'anthropic-ratelimit-unified-7d_opus-reset': seconds(3 * 86_400),
    'anthropic-ratelimit-unified-overage-status': 'allowed',
  };
}

beforeEach(async () => {
  harness = await createHarness();
  // The CLI reads the files with the wall clock: the router's clock starts at the same time.
  harness.clock.advance(Date.now() - harness.clock.now());
  now = harness.clock.now();
  for (const bucket of ['a', 'b']) await harness.addBucket('anthropic', bucket);
  await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, b]\npolicy: roundrobin\n');
  url = (await harness.startRouter({ profile: 'pool' })).url;
  harness.simulator.script('anthropic-a', [
    { kind: 'ok', headers: windows('0.30', '0.75', 'rejected') },
    { kind: 'ok', headers: windows('0.42', '0.81', 'rejected') },
  ]);
  harness.simulator.script('anthropic-b', [
    { kind: 'ok', headers: windows('0.10', '0.20', 'allowed') },
    { kind: 'ok', headers: windows('0.20', '0.25', 'allowed') },
  ]);
  // Round robin: a, b, then ten minutes later a and b again, each further into its windows.
  for (let index = 0; index < 2; index += 1) await anthropicDriver.call(url, { stream: index === 1 });
  harness.clock.advance(10 * 60_000);
  for (let index = 0; index < 2; index += 1) await anthropicDriver.call(url, { stream: false });
});

afterEach(async () => {
  await harness.close();
});

describe('seeing the windows', () => {
  it('GET /stats/buckets and GET /quota show every window, the pool totals and when the pool runs dry', async () => {
    const statistics = (await (await fetch(`${url}/stats/buckets`)).json()) as {
      buckets: { key: string; windows: { name: string; used: number; status: string; resetsAt: string }[] }[];
    };
    const a = statistics.buckets.find((bucket) => bucket.key === 'anthropic/a');
    expect(a?.windows.map((window) => [window.name, window.used, window.status])).toEqual([
      ['5h', 0.42, 'allowed'],
      ['7d', 0.81, 'allowed_warning'],
      ['7d_opus', 1, 'rejected'],
    ]);

    const quota = (await (await fetch(`${url}/quota`)).json()) as {
      pool: {
        provider: string;
        window: string;
        buckets: number;
        used: number;
        rejected: number;
        warning: number;
        nextResetAt: string | null;
        usedPerHour: number | null;
        runsDryAt: string | null;
      }[];
    };
    const fiveHours = quota.pool.find((window) => window.window === '5h');
    expect(fiveHours).toMatchObject({ provider: 'anthropic', buckets: 2, rejected: 0, warning: 0 });
    expect(fiveHours?.used).toBeCloseTo(0.31);
    expect(Date.parse(fiveHours!.nextResetAt!)).toBe(Number(seconds(2 * 3600 + 10 * 60)) * 1000);
    // a went 0.30 -> 0.42 and b 0.10 -> 0.20 in ten minutes: 0.22 of one bucket's window in 10 min, 1.32 an hour,
    // the pool's share 0.66 an hour; 1.38 left of two buckets is gone in about 62.7 minutes.
    expect(fiveHours?.usedPerHour).toBeCloseTo(0.66);
    expect(Date.parse(fiveHours!.runsDryAt!) - harness.clock.now()).toBeCloseTo((1.38 / 1.32) * 3_600_000, -3);
    expect(quota.pool.find((window) => window.window === '7d_opus')).toMatchObject({ rejected: 1, buckets: 2 });
    expect(quota.pool.map((window) => window.window)).toEqual(['5h', '7d', '7d_opus']);
  });

  it('publishes the used share and the reset of every window as gauges', async () => {
    const metrics = await scrape(url);
    expect(
      metrics.samples('switchyard_bucket_quota_used_ratio', { provider: 'anthropic', bucket: 'a', window: '7d' })[0]
        ?.value,
    ).toBe('0.81');
    expect(metrics.samples('switchyard_bucket_quota_used_ratio', { bucket: 'a', window: '7d_opus' })[0]?.value).toBe(
      '1',
    );
    expect(
      Number(
        metrics.samples('switchyard_bucket_quota_reset_timestamp_seconds', { bucket: 'b', window: '5h' })[0]?.value,
      ),
    ).toBe(Number(seconds(2 * 3600 + 10 * 60)));
  });

  it('`stats buckets` appends every window to the line and `stats quota` sums the pool, from the files', async () => {
    await harness.router().close();
    const environment = { SWITCHYARD_HOME: harness.home, HOME: harness.home };
    const buckets = await runBinary(['stats', 'buckets'], environment);
    expect(buckets.code).toBe(0);
    const line = buckets.stdout.split('\n').find((text) => text.startsWith('  anthropic/a: '));
    expect(line).toMatch(
      /^ {2}anthropic\/a: 2 requests \(last used: .+\); .+; 5h 42 % \(2 h \d+ min\) · 7d 81 % \(3 d\) · 7d_opus 100 % until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(3 d\) · overage allowed$/,
    );
    const quota = await runBinary(['stats', 'quota'], environment);
    expect(quota.code).toBe(0);
    expect(quota.stdout).toContain('Quota by provider and window:\n');
    expect(quota.stdout).toMatch(/ {2}anthropic 5h: 2 buckets, 31 % used, 0 spent, next reset in 2 h \d+ min, /);
    expect(quota.stdout).toMatch(/ {2}anthropic 7d_opus: 2 buckets, 60 % used, 1 spent, /);
    const json = await runBinary(['stats', 'quota', '--json'], environment);
    expect((JSON.parse(json.stdout) as { pool: unknown[] }).pool).toHaveLength(3);
  });
});
