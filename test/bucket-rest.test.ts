import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';
import { scrape } from './support/prometheus.js';

/** 5 failures in a row rest a bucket for 5 s, then 10 s, ... up to 20 s; 3 calls per request (2 retries). */
const restSettings = '  restAfterFailures: 5\n  restMs: 5000\n  restMaxMs: 20000\n';

interface BucketStats {
  key: string;
  state: string;
  availableAt: string | null;
  reason: string | null;
}

describe('a bucket failing again and again rests, and one probe brings it back', () => {
  let harness: Harness;
  let url: string;

  beforeEach(async () => {
    harness = await createHarness({ configExtra: restSettings });
    await harness.addBucket('anthropic', 'a');
    await harness.addBucket('anthropic', 'b');
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, b]\n');
    url = (await harness.startRouter({ profile: 'pool' })).url;
  });

  afterEach(async () => {
    await harness.close();
  });

  const send = async () => {
    const answer = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    const text = await answer.text();
    return {
      status: answer.status,
      attempts: answer.headers.get('x-switchyard-attempts'),
      retryAfter: answer.headers.get('retry-after'),
      text,
    };
  };
  const stateOf = async (key: string): Promise<BucketStats> => {
    const answer = await fetch(`${url}/stats/buckets`);
    const body = (await answer.json()) as { buckets: BucketStats[] };
    return body.buckets.find((bucket) => bucket.key === key)!;
  };
  const callsOfA = () => harness.simulator.counts('anthropic-a').requests;

  it('stops calling a bucket that answers 500 after 5 failures across requests, and says so', async () => {
    harness.simulator.setBehavior('anthropic-a', { kind: 'server-error', status: 500 });
    const answers = [];
    for (let request = 0; request < 10; request += 1) answers.push(await send());
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 10 }, () => 200));
    // Request 1: three calls; request 2: two more make five, and the bucket rests; then none.
    expect(answers.map((answer) => answer.attempts)).toEqual([
      'anthropic/a:500,anthropic/a:500,anthropic/a:500,anthropic/b:200',
      'anthropic/a:500,anthropic/a:500,anthropic/a:resting,anthropic/b:200',
      ...Array.from({ length: 8 }, () => 'anthropic/b:200'),
    ]);
    expect(callsOfA()).toBe(5);

    expect(await stateOf('anthropic/a')).toMatchObject({
      state: 'resting',
      availableAt: new Date(harness.clock.now() + 5_000).toISOString(),
      reason: 'http_500',
    });
    const metrics = await scrape(url);
    expect(metrics.sum('switchyard_bucket_state', { bucket: 'a', state: 'resting' })).toBe(1);
    expect(metrics.sum('switchyard_bucket_state', { bucket: 'a', state: 'ready' })).toBe(0);
    expect(metrics.sum('switchyard_bucket_available_at_timestamp_seconds', { bucket: 'a' })).toBe(
      (harness.clock.now() + 5_000) / 1000,
    );
    expect(
      metrics.sum('switchyard_bucket_rests_total', { provider: 'anthropic', bucket: 'a', reason: 'http_500' }),
    ).toBe(1);
    expect(metrics.sum('switchyard_failovers_total', { bucket: 'a', reason: 'resting' })).toBe(1);
    const dashboard = (await (await fetch(`${url}/dashboard/data`)).json()) as { buckets: BucketStats[] };
    expect(dashboard.buckets.find((bucket) => bucket.key === 'anthropic/a')).toMatchObject({
      state: 'resting',
      reason: 'http_500',
    });
  });

  it('probes the bucket with one call when its rest ends: a failure rests it twice as long, an answer ends the rest', async () => {
    harness.simulator.setBehavior('anthropic-a', { kind: 'server-error', status: 500 });
    await send();
    await send();
    expect(callsOfA()).toBe(5);

    // The rest is over: one request probes a, with one call and no retry, and rests it for 10 s.
    harness.clock.advance(5_000);
    expect((await send()).attempts).toBe('anthropic/a:500,anthropic/a:resting,anthropic/b:200');
    expect(callsOfA()).toBe(6);
    expect(await stateOf('anthropic/a')).toMatchObject({
      state: 'resting',
      availableAt: new Date(harness.clock.now() + 10_000).toISOString(),
    });
    harness.clock.advance(9_999);
    expect((await send()).attempts).toBe('anthropic/b:200');
    expect(callsOfA()).toBe(6);

    // The upstream recovers: the next probe is served, and the bucket is ready again.
    harness.simulator.setBehavior('anthropic-a', undefined);
    harness.clock.advance(1);
    expect(await send()).toMatchObject({ status: 200, attempts: 'anthropic/a:200' });
    expect(await stateOf('anthropic/a')).toMatchObject({ state: 'ready', availableAt: null, reason: null });
    expect((await send()).attempts).toBe('anthropic/a:200');
    const metrics = await scrape(url);
    expect(metrics.sum('switchyard_bucket_state', { bucket: 'a', state: 'ready' })).toBe(1);
    expect(metrics.sum('switchyard_bucket_rests_total', { bucket: 'a' })).toBe(2);
  });

  it('lets only one request probe a bucket whose rest has ended; the others go on at once', async () => {
    harness.simulator.setBehavior('anthropic-a', { kind: 'server-error', status: 500 });
    await send();
    await send();
    harness.clock.advance(5_000);
    // The probe's answer takes a while: requests meanwhile do not wait for it, nor call a.
    harness.simulator.setBehavior('anthropic-a', { kind: 'slow', delayMs: 300 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => send()));
    expect(callsOfA()).toBe(6);
    const attempts = answers.map((answer) => answer.attempts).sort();
    expect(attempts).toEqual(['anthropic/a:200', ...Array.from({ length: 5 }, () => 'anthropic/b:200')]);
  });

  it('answers 503 buckets_resting with Retry-After when every bucket rests, in the caller format', async () => {
    harness.simulator.setBehavior('anthropic-a', { kind: 'server-error', status: 500 });
    harness.simulator.setBehavior('anthropic-b', { kind: 'server-error', status: 503 });
    // The requests that fail the buckets get the failure's 502; the one after finds both resting.
    expect((await send()).status).toBe(502);
    const resting = await send();
    expect(resting.status).toBe(502);
    expect(resting.attempts).toBe(
      'anthropic/a:500,anthropic/a:500,anthropic/a:resting,anthropic/b:503,anthropic/b:503,anthropic/b:resting',
    );
    const answer = await send();
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toBe('5');
    expect(JSON.parse(answer.text)).toMatchObject({
      type: 'error',
      error: {
        type: 'api_error',
        code: 'buckets_resting',
        message:
          'Every bucket of profile "pool" that could serve is resting after failing again and again ' +
          `(5xx, network errors or timeouts); the next try is at ${new Date(harness.clock.now() + 5_000).toISOString()} ` +
          '(in 5 s).',
      },
    });
    expect(harness.simulator.counts('anthropic-a').requests + harness.simulator.counts('anthropic-b').requests).toBe(
      10,
    );
  });
});
