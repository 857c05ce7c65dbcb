import Anthropic from '@anthropic-ai/sdk';
import { calcPrice } from '@pydantic/genai-prices';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';

/**
 * Prompt-cache writes, end to end: the simulator caches an Anthropic prompt up to its last
 * `cache_control` block (written the first time, read after), the router counts both apart from
 * input, and the usage view prices each at the price package's own rate.
 */
let harness: Harness;
afterEach(async () => {
  await harness.close();
});

const adminKey = 'usage-cache-admin-key';

interface Line {
  name: string;
  requests: number;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  cost: number | null;
  billing?: string;
}

describe('cache writes in the usage view', () => {
  it('counts cache writes and reads apart from input, streamed or not, and prices each at its own rate', async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'a');
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    const { url } = await harness.startRouter({ profile: 'pool', environment: { SWITCHYARD_ADMIN_KEY: adminKey } });
    const client = new Anthropic({ baseURL: url, apiKey: 'client-key', maxRetries: 0 });
    const request = {
      model: 'claude-sonnet-4-6',
      max_tokens: 16,
      system: [
        {
          type: 'text' as const,
          text: 'You are a careful reviewer. '.repeat(40),
          cache_control: { type: 'ephemeral' as const },
        },
      ],
      messages: [{ role: 'user' as const, content: 'Review this.' }],
    };
    // The first request writes the prompt to the cache (streamed), the second reads it.
    const first = await client.messages.stream(request).finalMessage();
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    const written = first.usage.cache_creation_input_tokens!;
    const second = await client.messages.create(request);
    expect(second.usage.cache_read_input_tokens).toBe(written);

    const answer = await fetch(`${url}/dashboard/data/usage`, { headers: { authorization: `Bearer ${adminKey}` } });
    const usage = (await answer.json()) as { buckets: Line[]; models: Line[] };
    const bucket = usage.buckets.find((line) => line.name === 'anthropic/a')!;
    const input =
      first.usage.input_tokens + written + second.usage.input_tokens + (second.usage.cache_read_input_tokens ?? 0);
    expect(bucket).toMatchObject({
      requests: 2,
      inputTokens: input,
      cacheReadTokens: written,
      cacheWriteTokens: written,
      outputTokens: first.usage.output_tokens + second.usage.output_tokens,
      billing: 'subscription',
    });
    // A subscription bucket shows what its traffic would have cost on the API: the package's figure.
    const price = calcPrice(
      {
        input_tokens: input,
        cache_read_tokens: written,
        cache_write_tokens: written,
        output_tokens: bucket.outputTokens,
      },
      'claude-sonnet-4-6',
      { providerId: 'anthropic' },
    );
    expect(price).not.toBeNull();
    expect(bucket.cost).toBe(price!.total_price);
    // Writes cost more than the same tokens as fresh input would.
    const asInput = calcPrice(
      { input_tokens: input, cache_read_tokens: written, output_tokens: bucket.outputTokens },
      'claude-sonnet-4-6',
      { providerId: 'anthropic' },
    );
    expect(bucket.cost!).toBeGreaterThan(asInput!.total_price);

    const csv = await fetch(`${url}/dashboard/data/usage?format=csv&table=models`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('name,requests,inputTokens,cacheReadTokens,cacheWriteTokens,outputTokens,cost,unpriced');
    expect(lines[1]).toBe(
      `claude-sonnet-4-6,2,${input},${written},${written},${bucket.outputTokens},${price!.total_price},false`,
    );
  });
});
