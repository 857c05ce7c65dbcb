import { createRequire } from 'node:module';
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

type PricePackage = typeof import('@pydantic/genai-prices');
type CalcPrice = PricePackage['calcPrice'];
let calculator: Promise<CalcPrice> | undefined;

/**
 * The price table package, required the first time usage is asked for, so `serve` does not load
 * its 2 MB at start. Required, not import()ed: the bundle runs from V8's code cache, and code run
 * from that cache has no dynamic import (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING from the second
 * start on). Its bundled prices are used as published: updatePrices (a network fetch) is never called.
 */
function loadCalculator(): Promise<CalcPrice> {
  calculator ??= Promise.resolve().then(
    () => (createRequire(import.meta.url)('@pydantic/genai-prices') as PricePackage).calcPrice,
  );
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
