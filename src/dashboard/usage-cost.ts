import type { UsageRow } from './usage-ledger.js';

/** switchyard's providers as the price table names them (Codex is billed as OpenAI, Qwen as Alibaba). */
const priceProviders: Record<string, string> = {
  anthropic: 'anthropic',
  openai: 'openai',
  codex: 'openai',
  gemini: 'google',
  qwen: 'alibaba',
};

/** A usage row with what its tokens cost (or would cost) at the provider's API prices. */
export interface PricedUsageRow extends UsageRow {
  /** US dollars; null when the price table does not know the model. */
  cost: number | null;
}

type CalcPrice = typeof import('@pydantic/genai-prices').calcPrice;
let calculator: Promise<CalcPrice> | undefined;

/**
 * The price table package, imported the first time usage is asked for, so `serve` does not load
 * its 2 MB at start. Its bundled prices are used as published: updatePrices (a network fetch) is
 * never called.
 */
function loadCalculator(): Promise<CalcPrice> {
  calculator ??= import('@pydantic/genai-prices').then((module) => module.calcPrice);
  return calculator;
}

/**
 * Each row priced by @pydantic/genai-prices: input, cache reads and cache writes at their own
 * prices (the package, like switchyard, counts both within the input tokens), and output.
 */
export async function priceUsage(rows: readonly UsageRow[]): Promise<PricedUsageRow[]> {
  const calcPrice = await loadCalculator();
  return rows.map((row) => {
    const providerId = priceProviders[row.provider];
    let cost: number | null = null;
    try {
      const price = calcPrice(
        {
          input_tokens: row.inputTokens,
          cache_read_tokens: row.cacheReadTokens,
          cache_write_tokens: row.cacheWriteTokens,
          output_tokens: row.outputTokens,
        },
        row.model,
        providerId === undefined ? {} : { providerId },
      );
      cost = price === null ? null : price.total_price;
    } catch {
      // An unknown model or provider is a missing price, not a failed page.
      cost = null;
    }
    return { ...row, cost };
  });
}
