import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';

/**
 * What is and is not the account's quota, through the official Anthropic SDK against the simulator:
 * a spent model window, a bare 429, an overload and a rate limit inside a 200 stream, and a rest
 * lifted early by an answer that shows the account allowed again.
 */
let harness: Harness;
let url: string;
const nowSeconds = () => Math.floor(harness.clock.now() / 1000);

beforeEach(async () => {
  harness = await createHarness();
  for (const bucket of ['a', 'b']) await harness.addBucket('anthropic', bucket);
  await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, b]\n');
  url = (await harness.startRouter({ profile: 'pool' })).url;
});

afterEach(async () => {
  await harness.close();
});

interface Asked {
  status: number;
  bucket: string | null;
  attempts: string | null;
}

async function ask(model: string, stream = false): Promise<Asked> {
  const client = new Anthropic({ baseURL: url, apiKey: 'client-key', maxRetries: 0 });
  const request = { model, max_tokens: 32, messages: [{ role: 'user' as const, content: 'Hello' }] };
  try {
    if (stream) {
      const { data, response } = await client.messages.create({ ...request, stream: true }).withResponse();
      for await (const _event of data);
      return {
        status: response.status,
        bucket: response.headers.get('x-switchyard-bucket'),
        attempts: response.headers.get('x-switchyard-attempts'),
      };
    }
    const { response } = await client.messages.create(request).withResponse();
    return {
      status: response.status,
      bucket: response.headers.get('x-switchyard-bucket'),
      attempts: response.headers.get('x-switchyard-attempts'),
    };
  } catch (error) {
    if (error instanceof Anthropic.APIError)
      return { status: error.status ?? 0, bucket: null, attempts: error.headers?.get('x-switchyard-attempts') ?? null };
    throw error;
  }
}

async function stateOf(bucket: string): Promise<{ state: string; availableAt: string | null; rateLimited: number }> {
  const answer = (await (await fetch(`${url}/stats/buckets`)).json()) as {
    buckets: { key: string; state: string; availableAt: string | null; rateLimited: number }[];
  };
  return (
    answer.buckets.find((entry) => entry.key === `anthropic/${bucket}`) ?? {
      state: 'ready',
      availableAt: null,
      rateLimited: 0,
    }
  );
}

describe('model-scoped limits', () => {
  it('a rejected 7d_opus window makes the bucket skip Opus only; Sonnet keeps using it', async () => {
    const opusReset = nowSeconds() + 3 * 86_400;
    harness.simulator.script('anthropic-a', [
      {
        kind: 'rate-limit',
        style: 'none',
        resetSeconds: 3 * 86_400,
        headers: {
          'anthropic-ratelimit-unified-status': 'rejected',
          'anthropic-ratelimit-unified-reset': String(opusReset),
          'anthropic-ratelimit-unified-5h-status': 'allowed',
          'anthropic-ratelimit-unified-5h-utilization': '0.3',
          'anthropic-ratelimit-unified-5h-reset': String(nowSeconds() + 7_200),
          'anthropic-ratelimit-unified-7d_opus-status': 'rejected',
          'anthropic-ratelimit-unified-7d_opus-utilization': '1.0',
          'anthropic-ratelimit-unified-7d_opus-reset': String(opusReset),
          'anthropic-ratelimit-unified-representative-claim': 'seven_day_opus',
          'retry-after': String(3 * 86_400),
        },
      },
    ]);
    const first = await ask('claude-opus-4-1');
    expect(first).toMatchObject({ status: 200, bucket: 'anthropic/b' });
    expect(first.attempts).toBe('anthropic/a:429,anthropic/b:200');
    // The account as a whole is not resting.
    expect((await stateOf('a')).state).toBe('ready');

    expect(await ask('claude-opus-4-1', true)).toMatchObject({ status: 200, bucket: 'anthropic/b' });
    expect(harness.simulator.counts('anthropic-a').requests).toBe(1);
    expect(await ask('claude-sonnet-4-6')).toMatchObject({ status: 200, bucket: 'anthropic/a' });
    expect(await ask('claude-haiku-4-5', true)).toMatchObject({ status: 200, bucket: 'anthropic/a' });

    // Past the window's reset, Opus is back on the first bucket.
    harness.clock.advance(3 * 86_400_000 + 1_000);
    expect(await ask('claude-opus-4-1')).toMatchObject({ status: 200, bucket: 'anthropic/a' });
  });
});

describe('what is not the account quota', () => {
  it('a 429 without any rate-limit header moves the request on but rests the bucket only for a moment', async () => {
    harness.simulator.script('anthropic-a', [{ kind: 'rate-limit', style: 'none', resetSeconds: 0 }]);
    const first = await ask('claude-sonnet-4-6');
    expect(first).toMatchObject({ status: 200, bucket: 'anthropic/b', attempts: 'anthropic/a:429,anthropic/b:200' });
    const resting = await stateOf('a');
    expect(resting.state).toBe('cooling');
    expect(Date.parse(resting.availableAt!)).toBeLessThanOrEqual(harness.clock.now() + 2_000);
    // Not the 60 s default cooldown: seconds later the account serves again.
    harness.clock.advance(2_500);
    expect(await ask('claude-sonnet-4-6')).toMatchObject({ status: 200, bucket: 'anthropic/a' });
  });

  it('overloaded_error inside a 200 stream fails over without marking the bucket or its quota', async () => {
    const overloaded = { kind: 'stream-error' as const, errorType: 'overloaded_error' };
    harness.simulator.script('anthropic-a', [overloaded, overloaded, overloaded]);
    const answer = await ask('claude-sonnet-4-6', true);
    expect(answer).toMatchObject({ status: 200, bucket: 'anthropic/b' });
    const state = await stateOf('a');
    expect(state.state).toBe('ready');
    expect(state.rateLimited).toBe(0);
    expect(harness.router().context.quota?.get('anthropic/a')).toBeUndefined();
    expect(await ask('claude-sonnet-4-6', true)).toMatchObject({ status: 200, bucket: 'anthropic/a' });
  });

  it('rate_limit_error inside a 200 stream is the account quota: the bucket rests and it counts as a 429', async () => {
    harness.simulator.script('anthropic-a', [{ kind: 'stream-error', errorType: 'rate_limit_error' }]);
    const answer = await ask('claude-sonnet-4-6', true);
    expect(answer).toMatchObject({ status: 200, bucket: 'anthropic/b', attempts: 'anthropic/a:429,anthropic/b:200' });
    const state = await stateOf('a');
    expect(state.state).not.toBe('ready');
    expect(state.rateLimited).toBe(1);
    expect(await ask('claude-sonnet-4-6', true)).toMatchObject({ status: 200, bucket: 'anthropic/b' });
  });
});

describe('early return', () => {
  it('a bucket resting until a reset days away comes back as soon as an answer shows it allowed again', async () => {
    const windows = (status: string, used: string, reset: number) => ({
      'anthropic-ratelimit-unified-status': status,
      'anthropic-ratelimit-unified-reset': String(reset),
      'anthropic-ratelimit-unified-7d-status': status,
      'anthropic-ratelimit-unified-7d-utilization': used,
      'anthropic-ratelimit-unified-7d-reset': String(reset),
    });
    const farReset = nowSeconds() + 4 * 86_400;
    harness.simulator.script('anthropic-a', [
      // Answered late: sent before the wall, it says the account is allowed after it.
      // 3 s: the second request must have met the wall before this answer lands, even on a loaded machine.
      { kind: 'ok', delayMs: 3_000, headers: windows('allowed', '0.5', farReset) },
      { kind: 'rate-limit', style: 'none', resetSeconds: 4 * 86_400, headers: windows('rejected', '1.0', farReset) },
    ]);
    const slow = ask('claude-sonnet-4-6');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await ask('claude-sonnet-4-6')).toMatchObject({ status: 200, bucket: 'anthropic/b' });
    const resting = await stateOf('a');
    expect(resting.state).toBe('exhausted');
    expect(Date.parse(resting.availableAt!)).toBe(farReset * 1000);

    harness.clock.advance(1_000);
    expect(await slow).toMatchObject({ status: 200, bucket: 'anthropic/a' });
    expect((await stateOf('a')).state).toBe('ready');
    expect(await ask('claude-sonnet-4-6')).toMatchObject({ status: 200, bucket: 'anthropic/a' });
  });
});
