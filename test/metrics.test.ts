import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenFilePath } from '../src/config/paths.js';
import { readJsonOrNull, writePrivateJson } from '../src/config/secure-files.js';
import { createHarness, type Harness } from './support/harness.js';
import { scrape } from './support/prometheus.js';
import { postRaw } from './support/raw-requests.js';

const message = (stream = false) =>
  JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 32, stream, messages: [{ role: 'user', content: 'Hi' }] });

describe('GET /metrics', () => {
  let harness: Harness;
  let url: string;

  beforeEach(async () => {
    harness = await createHarness();
    for (const bucket of ['a', 'b', 'c']) await harness.addBucket('anthropic', bucket);
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, b, c]\n');
  });

  afterEach(async () => {
    await harness.close();
  });

  it('counts what the simulator saw after a scripted run: calls by bucket and status, failovers, refreshes, states, tokens', async () => {
    url = (await harness.startRouter({ profile: 'pool' })).url;
    harness.simulator.script('anthropic-a', [
      { kind: 'server-error', status: 503 },
      { kind: 'ok' },
      { kind: 'rate-limit', style: 'retry-after-seconds', resetSeconds: 60 },
    ]);
    harness.simulator.script('anthropic-b', [{ kind: 'ok' }, { kind: 'payment' }]);
    harness.simulator.script('anthropic-c', [{ kind: 'ok' }, { kind: 'unauthorized' }, { kind: 'ok' }]);
    const statuses: number[] = [];
    // 1: a 503, a 200. 2: a 429, b 200. 3: b 402, c 200. 4: c 401, refresh, c 200 (stream). 5: c 200.
    for (const stream of [false, false, false, true, false]) {
      const answer = await postRaw(url, '/v1/messages', message(stream), { 'anthropic-version': '2023-06-01' });
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);

    const metrics = await scrape(url);
    for (const bucket of ['a', 'b', 'c']) {
      const counts = harness.simulator.counts(`anthropic-${bucket}`);
      expect(metrics.sum('switchyard_upstream_requests_total', { provider: 'anthropic', bucket })).toBe(
        counts.requests,
      );
      for (const [status, count] of Object.entries(counts.byStatus)) {
        expect(
          metrics.sum('switchyard_upstream_requests_total', { profile: 'pool', provider: 'anthropic', bucket, status }),
        ).toBe(count);
      }
      expect(metrics.sum('switchyard_token_refreshes_total', { provider: 'anthropic', bucket })).toBe(counts.refreshes);
    }
    expect(metrics.sum('switchyard_upstream_requests_total')).toBe(harness.simulator.totalRequests());
    expect(metrics.sum('switchyard_requests_total', { client: 'anonymous', profile: 'pool', status: '200' })).toBe(5);
    expect(metrics.sum('switchyard_failovers_total', { bucket: 'a', reason: 'rate_limited' })).toBe(1);
    expect(metrics.sum('switchyard_failovers_total', { bucket: 'b', reason: 'quota_exhausted' })).toBe(1);
    expect(metrics.sum('switchyard_failovers_total')).toBe(2);

    expect(metrics.sum('switchyard_bucket_state', { bucket: 'a', state: 'cooling' })).toBe(1);
    expect(metrics.sum('switchyard_bucket_state', { bucket: 'a', state: 'ready' })).toBe(0);
    expect(metrics.sum('switchyard_bucket_state', { bucket: 'b', state: 'exhausted' })).toBe(1);
    expect(metrics.sum('switchyard_bucket_state', { bucket: 'c', state: 'ready' })).toBe(1);
    expect(metrics.sum('switchyard_bucket_available_at_timestamp_seconds', { bucket: 'a' })).toBe(
      (harness.clock.now() + 60_000) / 1000,
    );
    expect(metrics.sum('switchyard_bucket_available_at_timestamp_seconds', { bucket: 'c' })).toBe(0);
    expect(
      metrics.sum('switchyard_token_expiry_timestamp_seconds', { provider: 'anthropic', bucket: 'a' }),
    ).toBeGreaterThan(harness.clock.now() / 1000);

    const statistics = (await (await fetch(`${url}/stats/buckets`)).json()) as {
      buckets: { key: string; inputTokens: number; outputTokens: number }[];
    };
    for (const entry of statistics.buckets) {
      const bucket = entry.key.slice('anthropic/'.length);
      expect(metrics.sum('switchyard_tokens_total', { bucket, type: 'input' })).toBe(entry.inputTokens);
      expect(metrics.sum('switchyard_tokens_total', { bucket, type: 'output' })).toBe(entry.outputTokens);
    }
    expect(metrics.sum('switchyard_tokens_total', { type: 'output' })).toBeGreaterThan(0);
    expect(metrics.sum('switchyard_client_tokens_total', { client: 'anonymous', type: 'output' })).toBe(
      metrics.sum('switchyard_tokens_total', { type: 'output' }),
    );

    for (const histogram of ['switchyard_request_duration_seconds', 'switchyard_time_to_first_byte_seconds']) {
      expect(metrics.family(histogram).type).toBe('HISTOGRAM');
      expect(metrics.line(`${histogram}_count`, '{profile="pool"}')).toBe(5);
      expect(metrics.line(`${histogram}_bucket`, '{profile="pool",le="+Inf"}')).toBe(5);
      expect(metrics.line(`${histogram}_sum`, '{profile="pool"}')).toBeGreaterThan(0);
    }
    // Every family follows the conventions: the switchyard_ prefix, counters in _total.
    for (const family of metrics.families.values()) {
      expect(family.name.startsWith('switchyard_')).toBe(true);
      if (family.type === 'COUNTER') expect(family.name.endsWith('_total')).toBe(true);
    }
  });

  it('counts a refused refresh as a refresh failure and the bucket as needing login', async () => {
    url = (await harness.startRouter({ profile: 'pool' })).url;
    // A refresh token the token endpoint does not know: the refresh after the 401 is refused.
    const tokenFile = tokenFilePath(harness.paths, 'anthropic', 'a');
    const stored = (await readJsonOrNull(tokenFile)) as Record<string, unknown>;
    await writePrivateJson(tokenFile, { ...stored, refresh_token: 'refresh-token-nobody-issued' });
    harness.simulator.script('anthropic-a', [{ kind: 'unauthorized' }]);
    const answer = await postRaw(url, '/v1/messages', message(), { 'anthropic-version': '2023-06-01' });
    expect(answer.headers.get('x-switchyard-bucket')).toBe('anthropic/b');
    const metrics = await scrape(url);
    expect(harness.simulator.allCounts().unknown?.invalidGrants).toBe(1);
    expect(metrics.sum('switchyard_token_refresh_failures_total', { provider: 'anthropic', bucket: 'a' })).toBe(1);
    expect(metrics.sum('switchyard_token_refreshes_total')).toBe(0);
    expect(metrics.sum('switchyard_bucket_state', { bucket: 'a', state: 'needs-login' })).toBe(1);
    expect(metrics.sum('switchyard_failovers_total', { bucket: 'a', reason: 'refresh_failed' })).toBe(1);
  });

  it('labels a failover after a first-byte timeout and after a malformed answer as what they were, not other', async () => {
    await harness.writeProfile(
      'hasty',
      'type: model\nprovider: anthropic\nbuckets: [a, b]\ntimeouts: {firstByteMs: 300}\n',
    );
    url = (await harness.startRouter({ profile: 'hasty' })).url;
    harness.simulator.script('anthropic-a', [
      { kind: 'stall', at: 'headers' },
      { kind: 'malformed' },
      { kind: 'malformed' },
      { kind: 'malformed' },
    ]);
    const first = await postRaw(url, '/v1/messages', message(), { 'anthropic-version': '2023-06-01' });
    expect(first.headers.get('x-switchyard-attempts')).toBe('anthropic/a:timeout,anthropic/b:200');
    const second = await postRaw(url, '/v1/messages', message(), { 'anthropic-version': '2023-06-01' });
    expect(second.headers.get('x-switchyard-attempts')).toBe(
      'anthropic/a:malformed,anthropic/a:malformed,anthropic/a:malformed,anthropic/b:200',
    );
    const metrics = await scrape(url);
    expect(metrics.sum('switchyard_failovers_total', { bucket: 'a', reason: 'timeout' })).toBe(1);
    expect(metrics.sum('switchyard_failovers_total', { bucket: 'a', reason: 'malformed_answer' })).toBe(1);
    expect(metrics.sum('switchyard_failovers_total', { reason: 'other' })).toBe(0);
  });

  it("keeps each server's metrics apart (its own registry)", async () => {
    url = (await harness.startRouter({ profile: 'pool' })).url;
    await postRaw(url, '/v1/messages', message(), { 'anthropic-version': '2023-06-01' });
    const first = await scrape(url);
    await harness.router().close();
    const second = await harness.startRouter({ profile: 'pool' });
    const fresh = await scrape(second.url);
    expect(first.sum('switchyard_requests_total')).toBe(1);
    expect(fresh.sum('switchyard_requests_total')).toBe(0);
  });

  it('needs the admin key when SWITCHYARD_ADMIN_KEY is set', async () => {
    url = (await harness.startRouter({ profile: 'pool', environment: { SWITCHYARD_ADMIN_KEY: 'admin-secret' } })).url;
    const refused = await fetch(`${url}/metrics`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('SWITCHYARD_ADMIN_KEY');
    const wrong = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect((await scrape(url, 'admin-secret')).families.size).toBeGreaterThan(5);
  });
});
