import type { InternalUsage } from '../internal.js';
import { countOf, objectOf } from '../../core/json.js';

/**
 * Anthropic counts cached prompt tokens apart from `input_tokens`; internally they are part of
 * the input, so that every format's total means the same.
 * @see https://docs.anthropic.com/en/api/messages#response-usage
 */
export function usageFromAnthropic(value: unknown): InternalUsage {
  const usage = objectOf(value);
  const cacheRead = countOf(usage.cache_read_input_tokens);
  return {
    inputTokens: countOf(usage.input_tokens) + cacheRead + countOf(usage.cache_creation_input_tokens),
    outputTokens: countOf(usage.output_tokens),
    cachedInputTokens: cacheRead,
    reasoningTokens: 0,
  };
}

export function usageToAnthropic(usage: InternalUsage): Record<string, number> {
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: usage.cachedInputTokens,
    output_tokens: usage.outputTokens,
  };
}
