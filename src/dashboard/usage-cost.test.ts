import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { priceUsage } from './usage-cost.js';

const row = { bucket: 'anthropic/a', provider: 'anthropic', client: 'alice', model: 'claude-sonnet-4-6', requests: 2 };
const tokens = (inputTokens: number, cacheReadTokens: number, cacheWriteTokens: number, outputTokens: number) => ({
  inputTokens,
  cacheReadTokens,
  cacheWriteTokens,
  outputTokens,
});

describe('usage cost', () => {
  it('prices input, cache reads apart and output with the price package, and says when a model has no price', async () => {
    const [cached, uncached, unknown, codex] = await priceUsage([
      { ...row, ...tokens(10_000, 8_000, 0, 500) },
      { ...row, ...tokens(10_000, 0, 0, 500) },
      { ...row, model: 'a-model-nobody-prices', ...tokens(10, 0, 0, 5) },
      { ...row, bucket: 'codex/a', provider: 'codex', model: 'gpt-5', ...tokens(1_000, 0, 0, 100) },
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

  it("prices cache writes at the package's cache-write price, above fresh input", async () => {
    const [written, fresh] = await priceUsage([
      { ...row, ...tokens(10_000, 2_000, 6_000, 500) },
      { ...row, ...tokens(10_000, 2_000, 0, 500) },
    ]);
    // The exact figure, from the package's own per-million prices for this model.
    const model = calcPrice({ input_tokens: 1 }, 'claude-sonnet-4-6', { providerId: 'anthropic' })!.model_price;
    const perToken = (price: unknown) => {
      expect(typeof price).toBe('number');
      return (price as number) / 1_000_000;
    };
    const expected =
      2_000 * perToken(model.input_mtok) +
      2_000 * perToken(model.cache_read_mtok) +
      6_000 * perToken(model.cache_write_mtok) +
      500 * perToken(model.output_mtok);
    expect(written!.cost).toBeCloseTo(expected, 12);
    expect(perToken(model.cache_write_mtok)).toBeGreaterThan(perToken(model.input_mtok));
    expect(written!.cost!).toBeGreaterThan(fresh!.cost!);
    expect(written!.cacheWriteTokens).toBe(6_000);
  });
});
