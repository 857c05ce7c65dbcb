import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { priceUsage } from './usage-cost.js';

const row = { bucket: 'anthropic/a', provider: 'anthropic', client: 'alice', model: 'claude-sonnet-4-6', requests: 2 };

describe('usage cost', () => {
  it('prices input, cache reads apart and output with the price package, and says when a model has no price', async () => {
    const [cached, uncached, unknown, codex] = await priceUsage([
      { ...row, inputTokens: 10_000, cacheReadTokens: 8_000, outputTokens: 500 },
      { ...row, inputTokens: 10_000, cacheReadTokens: 0, outputTokens: 500 },
      { ...row, model: 'a-model-nobody-prices', inputTokens: 10, cacheReadTokens: 0, outputTokens: 5 },
      {
        ...row,
        bucket: 'codex/a',
        provider: 'codex',
        model: 'gpt-5',
        inputTokens: 1_000,
        cacheReadTokens: 0,
        outputTokens: 100,
      },
    ]);
    const expected = calcPrice(
      { input_tokens: 10_000, cache_read_tokens: 8_000, output_tokens: 500 },
      'claude-sonnet-4-6',
      { providerId: 'anthropic' },
    );
    expect(expected).not.toBeNull();
    expect(cached!.cost).toBe(expected!.total_price);
    // Cache reads cost less than fresh input.
    expect(cached!.cost!).toBeLessThan(uncached!.cost!);
    expect(unknown!.cost).toBeNull();
    // Codex traffic is priced as OpenAI's API.
    expect(codex!.cost).toBe(
      calcPrice({ input_tokens: 1_000, cache_read_tokens: 0, output_tokens: 100 }, 'gpt-5', { providerId: 'openai' })!
        .total_price,
    );
  });
});
