import type { InternalUsage } from '../internal.js';
import { countOf, objectOf } from '../../core/json.js';

/** @see https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage */
export function usageFromResponses(value: unknown): InternalUsage {
  const usage = objectOf(value);
  return {
    inputTokens: countOf(usage.input_tokens),
    outputTokens: countOf(usage.output_tokens),
    cachedInputTokens: countOf(objectOf(usage.input_tokens_details).cached_tokens),
    reasoningTokens: countOf(objectOf(usage.output_tokens_details).reasoning_tokens),
  };
}

export function usageToResponses(usage: InternalUsage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}
