import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenFilePath } from '../src/config/paths.js';
import { readJsonOrNull } from '../src/config/secure-files.js';
import { formatDrivers } from './support/format-drivers.js';
import { createHarness, type Harness } from './support/harness.js';
import { errorOf, postRaw, rawRequestOf } from './support/raw-requests.js';

interface StatsAnswer {
  buckets: {
    key: string;
    requests: number;
    successes: number;
    rateLimited: number;
    paymentRequired: number;
    unauthorized: number;
    refreshes: number;
    state: string;
    availableAt: string | null;
  }[];
}

describe.each(formatDrivers)('routing for $format clients (served by $provider)', (driver) => {
  let harness: Harness;
  let url: string;
  const account = (bucket: string) => `${driver.provider}-${bucket}`;
  const key = (bucket: string) => `${driver.provider}/${bucket}`;
  const statistics = async () => (await (await fetch(`${url}/stats/buckets`)).json()) as StatsAnswer;
  const bucketStats = async (bucket: string) => (await statistics()).buckets.find((entry) => entry.key === key(bucket));

  beforeEach(async () => {
    harness = await createHarness();
    for (const bucket of ['a', 'b', 'c']) await harness.addBucket(driver.provider, bucket);
    await harness.writeProfile(
      'pool',
      `type: model\nprovider: ${driver.provider}\nmodel: ${driver.model}\nbuckets: [a, b, c]\n`,
    );
    url = (await harness.startRouter({ profile: 'pool' })).url;
  });

  afterEach(async () => {
    await harness.close();
  });

  it('fails over on a 429 at once, skips the bucket with zero calls until its reset, then returns to it', async () => {
    harness.simulator.script(account('a'), [{ kind: 'rate-limit', style: driver.rateLimitStyle, resetSeconds: 3600 }]);
    const first = await driver.call(url, { stream: false });
    expect(first).toMatchObject({ ok: true, bucket: key('b') });
    if (first.ok && first.attempts !== null) expect(first.attempts).toBe(`${key('a')}:429,${key('b')}:200`);
    for (let index = 0; index < 5; index += 1)
      expect(await driver.call(url, { stream: false })).toMatchObject({ ok: true, bucket: key('b') });
    expect(harness.simulator.counts(account('a')).requests).toBe(1);
    const resting = await bucketStats('a');
    expect(resting?.state === 'cooling' || resting?.state === 'exhausted').toBe(true);
    expect(Date.parse(resting!.availableAt!)).toBeGreaterThanOrEqual(harness.clock.now() + 3_500_000);

    harness.clock.advance(3_601_000);
    expect(await driver.call(url, { stream: false })).toMatchObject({ ok: true, bucket: key('a') });
    expect(harness.simulator.counts(account('a')).requests).toBe(2);
  });

  it('fails over on 402 and counts it', async () => {
    harness.simulator.script(account('a'), [{ kind: 'payment' }]);
    expect(await driver.call(url, { stream: false })).toMatchObject({ ok: true, bucket: key('b') });
    expect(await bucketStats('a')).toMatchObject({ requests: 1, paymentRequired: 1, state: 'exhausted' });
  });

  it('refreshes the login once on 401 and retries the same bucket', async () => {
    harness.simulator.script(account('a'), [{ kind: 'unauthorized' }]);
    expect(await driver.call(url, { stream: false })).toMatchObject({ ok: true, bucket: key('a') });
    expect(harness.simulator.counts(account('a')).refreshes).toBe(1);
    expect(await bucketStats('a')).toMatchObject({ requests: 2, unauthorized: 1, successes: 1, refreshes: 1 });
  });

  it('switches and marks the bucket as needing login when the refreshed token is refused too', async () => {
    harness.simulator.script(account('a'), [{ kind: 'unauthorized' }, { kind: 'unauthorized' }]);
    expect(await driver.call(url, { stream: false })).toMatchObject({ ok: true, bucket: key('b') });
    expect(await bucketStats('a')).toMatchObject({ state: 'needs-login', unauthorized: 2 });
    const stored = (await readJsonOrNull(tokenFilePath(harness.paths, driver.provider, 'a'))) as {
      needs_login?: unknown;
    };
    expect(stored.needs_login).toBeDefined();
    expect(await driver.call(url, { stream: false })).toMatchObject({ ok: true, bucket: key('b') });
    expect(harness.simulator.counts(account('a')).requests).toBe(2);
  });

  it('retries a 5xx on the same bucket a bounded number of times, then switches', async () => {
    harness.simulator.script(account('a'), [{ kind: 'server-error', status: 503 }]);
    expect(await driver.call(url, { stream: false })).toMatchObject({ ok: true, bucket: key('a') });
    harness.simulator.script(account('a'), [
      { kind: 'server-error' },
      { kind: 'server-error' },
      { kind: 'server-error' },
    ]);
    expect(await driver.call(url, { stream: false })).toMatchObject({ ok: true, bucket: key('b') });
    expect(harness.simulator.counts(account('a')).requests).toBe(2 + 3);
  });

  it('fails a stream over before its first byte, when the error comes inside a 200 stream or as a 429', async () => {
    // An overload inside the stream is retried on the same bucket (bounded), then the next bucket serves.
    harness.simulator.script(account('a'), [
      { kind: 'stream-error' },
      { kind: 'stream-error' },
      { kind: 'stream-error' },
    ]);
    const afterStreamError = await driver.call(url, { stream: true });
    expect(afterStreamError).toMatchObject({ ok: true, bucket: key('b') });
    if (afterStreamError.ok) expect(afterStreamError.text).toContain('Hello from');
    harness.simulator.script(account('b'), [{ kind: 'rate-limit', style: driver.rateLimitStyle, resetSeconds: 60 }]);
    harness.clock.advance(0);
    const afterRateLimit = await driver.call(url, { stream: true });
    expect(afterRateLimit.ok).toBe(true);
    if (afterRateLimit.ok) expect(afterRateLimit.text).toContain('Hello from');
  });

  it('answers "all buckets exhausted" in the caller\'s format with Retry-After to the earliest reset', async () => {
    harness.simulator.setBehavior(account('a'), {
      kind: 'rate-limit',
      style: driver.rateLimitStyle,
      resetSeconds: 300,
    });
    harness.simulator.setBehavior(account('b'), {
      kind: 'rate-limit',
      style: driver.rateLimitStyle,
      resetSeconds: 120,
    });
    harness.simulator.setBehavior(account('c'), {
      kind: 'rate-limit',
      style: driver.rateLimitStyle,
      resetSeconds: 900,
    });
    const viaSdk = await driver.call(url, { stream: false });
    expect(viaSdk).toMatchObject({ ok: false, status: 429 });
    const earliest = new Date(harness.clock.now() + 120_000).toISOString();
    if (!viaSdk.ok) expect(viaSdk.message).toContain(earliest);

    const request = rawRequestOf(driver.format, driver.model);
    const raw = await postRaw(url, request.path, JSON.stringify(request.body));
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('120');
    const error = errorOf(driver.format, raw.body);
    expect(error.message.startsWith('All OAuth buckets exhausted')).toBe(true);
    expect(error.message).toContain(earliest);
    expect(JSON.stringify(raw.body)).toContain(key('c'));
    // Resting buckets are not called again for the second request.
    expect(harness.simulator.counts(account('a')).requests).toBe(1);
  });

  it('keeps statistics equal to what the simulator saw after 200 concurrent requests', async () => {
    await harness.writeProfile(
      'spread',
      `type: model\nprovider: ${driver.provider}\nbuckets: [a, b, c]\npolicy: roundrobin\n`,
    );
    harness.simulator.script(account('a'), [{ kind: 'rate-limit', style: driver.rateLimitStyle, resetSeconds: 1 }]);
    harness.simulator.script(account('b'), [{ kind: 'server-error' }, { kind: 'payment' }]);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        driver.call(url, { stream: index % 2 === 0, headers: { 'x-switchyard-profile': 'spread' } }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(200);
    const answer = await statistics();
    let total = 0;
    for (const bucket of ['a', 'b', 'c']) {
      const seen = harness.simulator.counts(account(bucket));
      const counted = answer.buckets.find((entry) => entry.key === key(bucket));
      expect(counted?.requests).toBe(seen.requests);
      expect(counted?.successes).toBe(seen.byStatus[200] ?? 0);
      total += counted?.successes ?? 0;
    }
    expect(total).toBe(200);
  });

  it("answers malformed JSON with a 400 in the caller's format", async () => {
    const request = rawRequestOf(driver.format, driver.model);
    const raw = await postRaw(url, request.path, '{"model": ');
    expect(raw.status).toBe(400);
    expect(errorOf(driver.format, raw.body).message).toMatch(/^The request body is not valid JSON/);
    expect(harness.simulator.totalRequests()).toBe(0);
  });

  it("answers an unknown or invalid profile with a clear error in the caller's format", async () => {
    const request = rawRequestOf(driver.format, driver.model);
    const unknown = await postRaw(url, request.path, JSON.stringify(request.body), { 'x-switchyard-profile': 'nope' });
    expect(unknown.status).toBe(404);
    expect(errorOf(driver.format, unknown.body).message).toMatch(/nope/);
    const trick = await postRaw(url, request.path, JSON.stringify(request.body), { 'x-switchyard-profile': '../etc' });
    expect(trick.status).toBe(400);
    expect(errorOf(driver.format, trick.body).message).toMatch(/^Invalid profile name "\.\.\/etc"/);
  });

  it('refuses a profile file with an invalid bucket name or invalid YAML, naming the line and field', async () => {
    await harness.writeProfile(
      'bad-bucket',
      `type: model\nprovider: ${driver.provider}\nbuckets:\n  - a\n  - ../../x\n`,
    );
    await harness.writeProfile('bad-yaml', `type: model\nprovider: [${driver.provider}\n`);
    const request = rawRequestOf(driver.format, driver.model);
    const badBucket = await postRaw(url, request.path, JSON.stringify(request.body), {
      'x-switchyard-profile': 'bad-bucket',
    });
    expect(badBucket.status).toBe(400);
    const bucketMessage = errorOf(driver.format, badBucket.body).message;
    expect(bucketMessage).toContain('bad-bucket.yaml:5');
    expect(bucketMessage).toContain('buckets[1]');
    const badYaml = await postRaw(url, request.path, JSON.stringify(request.body), {
      'x-switchyard-profile': 'bad-yaml',
    });
    expect(badYaml.status).toBe(400);
    expect(errorOf(driver.format, badYaml.body).message).toContain('bad-yaml.yaml');
  });
});
