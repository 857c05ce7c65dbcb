import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenFilePath } from '../src/config/paths.js';
import { readJsonOrNull, writePrivateJson } from '../src/config/secure-files.js';
import { anthropicDriver } from './support/format-drivers.js';
import { createHarness, type Harness } from './support/harness.js';
import { errorOf, postRaw } from './support/raw-requests.js';

/**
 * An Anthropic-format client on a multi-provider profile (anthropic -> openai -> gemini): served
 * by the next provider, in its own format, when every bucket of the one before is rate-limited.
 */
describe('cross-provider failover for an Anthropic-format client', () => {
  let harness: Harness;
  let url: string;
  const profile = { 'x-switchyard-profile': 'multi-provider' };

  beforeEach(async () => {
    harness = await createHarness();
    for (const bucket of ['a1', 'a2']) await harness.addBucket('anthropic', bucket);
    for (const bucket of ['o1', 'o2']) await harness.addBucket('openai', bucket, { apiKey: true });
    await harness.addBucket('gemini', 'g1');
    await harness.writeProfile(
      'anthropic-primary',
      'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [a1, a2]\n',
    );
    await harness.writeProfile(
      'openai-backup',
      'type: model\nprovider: openai\nmodel: gpt-4.1\nmodels: { claude-haiku-4-5: gpt-4.1-mini }\nbuckets: [o1, o2]\n',
    );
    await harness.writeProfile(
      'gemini-emergency',
      'type: model\nprovider: gemini\nmodel: gemini-2.5-pro\nbuckets: [g1]\n',
    );
    await harness.writeProfile(
      'multi-provider',
      'type: loadbalancer\npolicy: failover\nprofiles: [anthropic-primary, openai-backup, gemini-emergency]\n',
    );
    url = (await harness.startRouter()).url;
  });

  afterEach(async () => {
    await harness.close();
  });

  const rateLimitAnthropic = () => {
    harness.simulator.script('anthropic-a1', [
      { kind: 'rate-limit', style: 'anthropic-unified', resetSeconds: 3600, quota: true },
    ]);
    harness.simulator.script('anthropic-a2', [
      { kind: 'rate-limit', style: 'anthropic-unified', resetSeconds: 7200, quota: true },
    ]);
  };
  const rateLimitOpenai = () => {
    harness.simulator.script('openai-o1', [{ kind: 'rate-limit', style: 'openai', resetSeconds: 600 }]);
    harness.simulator.script('openai-o2', [{ kind: 'rate-limit', style: 'openai', resetSeconds: 900 }]);
  };

  it('is served by openai when every anthropic bucket answers 429, then by gemini when openai is out too', async () => {
    expect(await anthropicDriver.call(url, { stream: false, headers: profile })).toMatchObject({
      ok: true,
      bucket: 'anthropic/a1',
    });

    rateLimitAnthropic();
    const byOpenai = await anthropicDriver.call(url, { stream: false, headers: profile });
    expect(byOpenai).toEqual({
      ok: true,
      text: 'Hello from openai-o1 via the switchyard provider simulator',
      bucket: 'openai/o1',
      attempts: 'anthropic/a1:429,anthropic/a2:429,openai/o1:200',
    });
    // The anthropic buckets now rest: the next stream goes straight to openai.
    expect(await anthropicDriver.call(url, { stream: true, headers: profile })).toMatchObject({
      ok: true,
      bucket: 'openai/o1',
      attempts: 'openai/o1:200',
    });

    rateLimitOpenai();
    const byGemini = await anthropicDriver.call(url, { stream: true, headers: profile });
    expect(byGemini).toEqual({
      ok: true,
      text: 'Hello from gemini-g1 via the switchyard provider simulator',
      bucket: 'gemini/g1',
      attempts: 'openai/o1:429,openai/o2:429,gemini/g1:200',
    });
    expect(harness.simulator.counts('anthropic-a1').requests).toBe(2);
    expect(harness.simulator.counts('openai-o1').requests).toBe(3);
  });

  it("maps the client's model to the member's, and counts usage for the translated answers", async () => {
    rateLimitAnthropic();
    const haiku = await postRaw(
      url,
      '/v1/messages',
      JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'Hi' }] }),
      profile,
    );
    expect(haiku.status).toBe(200);
    expect(haiku.body).toMatchObject({
      type: 'message',
      model: 'gpt-4.1-mini',
      stop_reason: 'end_turn',
      usage: { output_tokens: 8 },
    });
    const sonnet = await postRaw(
      url,
      '/v1/messages',
      JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 32, messages: [{ role: 'user', content: 'Hi' }] }),
      profile,
    );
    expect(sonnet.body).toMatchObject({ model: 'gpt-4.1' });
    const stats = (await (await fetch(`${url}/stats/buckets`)).json()) as {
      buckets: { key: string; requests: number; outputTokens: number }[];
    };
    expect(stats.buckets.find((bucket) => bucket.key === 'openai/o1')).toMatchObject({ requests: 2, outputTokens: 16 });
  });

  it("answers the exhausted error in the Anthropic format, listing the reset times of every provider's buckets", async () => {
    rateLimitAnthropic();
    rateLimitOpenai();
    harness.simulator.script('gemini-g1', [{ kind: 'rate-limit', style: 'gemini', resetSeconds: 300, quota: true }]);
    const answer = await postRaw(
      url,
      '/v1/messages',
      JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 32, messages: [{ role: 'user', content: 'Hi' }] }),
      profile,
    );
    expect(answer.status).toBe(429);
    const now = harness.clock.now();
    expect(answer.headers.get('retry-after')).toBe('300');
    const error = errorOf('anthropic-messages', answer.body);
    expect(error.type).toBe('rate_limit_error');
    expect(error.message).toBe(
      `All OAuth buckets exhausted; the first one resets at ${new Date(now + 300_000).toISOString()} (in 300 s).`,
    );
    const listed = (answer.body as { error: { buckets: { key: string; state: string; availableAt: string }[] } }).error
      .buckets;
    expect(listed.map((bucket) => bucket.key)).toEqual([
      'anthropic/a1',
      'anthropic/a2',
      'openai/o1',
      'openai/o2',
      'gemini/g1',
    ]);
    const resets = listed.map((bucket) => Date.parse(bucket.availableAt) - now);
    expect(resets.every((milliseconds) => milliseconds > 0)).toBe(true);
    expect(resets[0]).toBeGreaterThanOrEqual(3_599_000);
    expect(resets[1]).toBeGreaterThanOrEqual(7_199_000);
    expect(resets[2]).toBe(600_000);
    expect(resets[3]).toBe(900_000);
    expect(resets[4]).toBe(300_000);
    // The SDK reads the same answer as a rate-limit error with the reset in Retry-After.
    expect(await anthropicDriver.call(url, { stream: true, headers: profile })).toMatchObject({
      ok: false,
      status: 429,
      retryAfter: '300',
    });
  });

  it("relays a provider's refusal of the request in the client's error format, without failing over", async () => {
    // A Codex login whose stored account id is wrong: the backend refuses the request (400), which is not the bucket's
    // fault.
    await harness.addBucket('codex', 'c1');
    await writePrivateJson(tokenFilePath(harness.paths, 'codex', 'c1'), {
      ...((await readJsonOrNull(tokenFilePath(harness.paths, 'codex', 'c1'))) as object),
      account_id: 'someone-else',
    });
    await harness.writeProfile(
      'codex-first',
      'type: loadbalancer\npolicy: failover\nprofiles: [codex-only, gemini-emergency]\n',
    );
    await harness.writeProfile('codex-only', 'type: model\nprovider: codex\nmodel: gpt-5-codex\nbuckets: [c1]\n');
    const answer = await postRaw(
      url,
      '/v1/messages',
      JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 32, messages: [{ role: 'user', content: 'Hi' }] }),
      {
        'x-switchyard-profile': 'codex-first',
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.headers.get('x-switchyard-attempts')).toBe('codex/c1:400');
    expect(errorOf('anthropic-messages', answer.body)).toEqual({
      type: 'invalid_request_error',
      message: "The chatgpt-account-id header is missing or does not match the access token's account.",
    });
    expect(harness.simulator.counts('gemini-g1').requests).toBe(0);
  });
});
