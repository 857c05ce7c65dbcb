import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { BucketKey } from '../src/core/types.js';
import {
  anthropicDriver,
  chatDriver,
  type FormatDriver,
  geminiDriver,
  responsesDriver,
} from './support/format-drivers.js';
import { createHarness, type Harness } from './support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const nowSeconds = Date.parse('2026-11-23T10:00:00.000Z') / 1000;

/** Each provider's usage headers as its documentation shows them, and what switchyard should read from them. */
const cases: {
  driver: FormatDriver;
  provider: 'anthropic' | 'codex' | 'openai';
  headers: Record<string, string>;
  windows: Record<string, { used: number; status: string }>;
}[] = [
  {
    driver: anthropicDriver,
    provider: 'anthropic',
    headers: {
      'anthropic-ratelimit-unified-status': 'allowed',
      'anthropic-ratelimit-unified-reset': String(nowSeconds + 7800),
      'anthropic-ratelimit-unified-5h-status': 'allowed',
      'anthropic-ratelimit-unified-5h-reset': String(nowSeconds + 7800),
      'anthropic-ratelimit-unified-5h-utilization': '0.42',
      'anthropic-ratelimit-unified-7d-status': 'allowed_warning',
      'anthropic-ratelimit-unified-7d-reset': String(nowSeconds + 259200),
      'anthropic-ratelimit-unified-7d-utilization': '0.81',
      'anthropic-ratelimit-unified-representative-claim': 'five_hour',
      'anthropic-ratelimit-unified-overage-status': 'allowed',
    },
    windows: { '5h': { used: 0.42, status: 'allowed' }, '7d': { used: 0.81, status: 'allowed_warning' } },
  },
  {
    driver: responsesDriver,
    provider: 'codex',
    headers: {
      'x-codex-primary-used-percent': '12',
      'x-codex-primary-window-minutes': '10080',
      'x-codex-primary-reset-after-seconds': '259200',
      'x-codex-secondary-used-percent': '55',
      'x-codex-secondary-window-minutes': '300',
      'x-codex-secondary-reset-at': String(nowSeconds + 7800),
    },
    windows: { '7d': { used: 0.12, status: 'allowed' }, '5h': { used: 0.55, status: 'allowed' } },
  },
  {
    driver: chatDriver,
    provider: 'openai',
    headers: {
      'x-ratelimit-limit-requests': '100',
      'x-ratelimit-remaining-requests': '75',
      'x-ratelimit-reset-requests': '6m0s',
      'x-ratelimit-limit-tokens': '10000',
      'x-ratelimit-remaining-tokens': '500',
      'x-ratelimit-reset-tokens': '1.5s',
    },
    windows: { requests: { used: 0.25, status: 'allowed' }, tokens: { used: 0.95, status: 'allowed_warning' } },
  },
];

async function poolOf(provider: string, model: string, options: { apiKey?: boolean } = {}): Promise<Harness> {
  const opened = await createHarness();
  await opened.addBucket(provider as 'anthropic', 'a', options);
  await opened.writeProfile('pool', `type: model\nprovider: ${provider}\nmodel: ${model}\nbuckets: [a]\n`);
  await opened.startRouter({ profile: 'pool' });
  return opened;
}

describe.each(cases)(
  'quota read from every $provider answer (official SDK)',
  ({ driver, provider, headers, windows }) => {
    it.each([false, true])('stream %s: every window, kept across a restart', async (stream) => {
      harness = await poolOf(provider, driver.model, { apiKey: provider === 'openai' });
      const key = `${provider}/a` as BucketKey;
      harness.simulator.script(`${provider}-a`, [{ kind: 'ok', headers }]);
      const answer = await driver.call(harness.router().url, { stream });
      expect(answer).toMatchObject({ ok: true, bucket: key });
      const seen = harness.router().context.quota?.get(key);
      for (const [name, expected] of Object.entries(windows)) {
        expect(seen?.windows[name]?.used).toBeCloseTo(expected.used);
        expect(seen?.windows[name]?.status).toBe(expected.status);
        expect(seen?.windows[name]?.seenAt).toBe(harness.clock.now());
        expect(seen?.windows[name]?.resetsAt).toBeGreaterThan(harness.clock.now());
      }
      expect(Object.keys(seen?.windows ?? {}).sort()).toEqual(Object.keys(windows).sort());

      // The windows outlive the process: quota.json, read again at the next start.
      await harness.router().close();
      const file = JSON.parse(await readFile(harness.paths.quota, 'utf8')) as { buckets: Record<string, unknown> };
      expect(Object.keys(file.buckets)).toEqual([key]);
      const restarted = await harness.startRouter({ profile: 'pool' });
      expect(restarted.context.quota?.get(key)).toEqual(seen);
    });
  },
);

describe('quota read from a Gemini 429 (official SDK)', () => {
  it("reads the QuotaFailure's per-day quota as a spent 1d window until RetryInfo says", async () => {
    harness = await poolOf('gemini', geminiDriver.model);
    harness.simulator.script('gemini-a', [{ kind: 'rate-limit', style: 'gemini', resetSeconds: 3600, quota: true }]);
    const answer = await geminiDriver.call(harness.router().url, { stream: false });
    expect(answer).toMatchObject({ ok: false, status: 429 });
    const window = harness.router().context.quota?.get('gemini/a')?.windows['1d'];
    expect(window).toEqual({
      used: 1,
      status: 'rejected',
      resetsAt: harness.clock.now() + 3_600_000,
      seenAt: harness.clock.now(),
      firstUsed: 1,
      firstSeenAt: harness.clock.now(),
    });
  });
});

describe("quota read from Codex's usage_limit_reached 429 body (openai SDK)", () => {
  it.each([
    { resetSeconds: 7200, window: '5h' },
    { resetSeconds: 3 * 86_400, window: '7d' },
  ])(
    'a body alone resetting in $resetSeconds s: the $window window spent, the bucket resting until then, the next bucket serving',
    async ({ resetSeconds, window }) => {
      const opened = await createHarness();
      harness = opened;
      await opened.addBucket('codex', 'a');
      await opened.addBucket('codex', 'b');
      await opened.writeProfile(
        'pool',
        `type: model\nprovider: codex\nmodel: ${responsesDriver.model}\nbuckets: [a, b]\n`,
      );
      const router = await opened.startRouter({ profile: 'pool' });
      // Codex's documented body: {"error":{"type":"usage_limit_reached","plan_type":…,"resets_at":…,"resets_in_seconds":…}}.
      opened.simulator.script('codex-a', [{ kind: 'rate-limit', style: 'codex-body', resetSeconds, quota: true }]);
      const answer = await responsesDriver.call(router.url, { stream: false });
      expect(answer).toMatchObject({ ok: true, bucket: 'codex/b', attempts: 'codex/a:429,codex/b:200' });
      const resetsAt = opened.clock.now() + resetSeconds * 1000;
      expect(router.context.quota?.get('codex/a')?.windows[window]).toMatchObject({
        used: 1,
        status: 'rejected',
        resetsAt,
      });
      const rows = (await (await fetch(`${router.url}/stats/buckets`)).json()) as {
        buckets: { key: string; state: string; availableAt: string | null }[];
      };
      expect(rows.buckets.find((row) => row.key === 'codex/a')).toMatchObject({
        availableAt: new Date(resetsAt).toISOString(),
      });
      // Resting: the next request goes straight to b, a is not asked.
      const before = opened.simulator.counts('codex-a').requests;
      expect(await responsesDriver.call(router.url, { stream: true })).toMatchObject({ ok: true, bucket: 'codex/b' });
      expect(opened.simulator.counts('codex-a').requests).toBe(before);
    },
  );
});
