import type { InternalUsage } from '../internal.js';
import { countOf, objectOf } from '../../core/json.js';

/** @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage */
export function usageFromChat(value: unknown): InternalUsage {
  const usage = objectOf(value);
  return {
    inputTokens: countOf(usage.prompt_tokens),
    outputTokens: countOf(usage.completion_tokens),
    cachedInputTokens: countOf(objectOf(usage.prompt_tokens_details).cached_tokens),
    reasoningTokens: countOf(objectOf(usage.completion_tokens_details).reasoning_tokens),
  };
}

export function usageToChat(usage: InternalUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}
