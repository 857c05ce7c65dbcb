import { countField, objectField, parseJsonObject } from '../../core/json.js';
import { emptyUsage, type StreamUsageSource, type Usage } from '../types.js';

/**
 * Reads a Chat `usage` object into `into` and returns it; missing or malformed fields count 0.
 * `prompt_tokens` include the cached ones, `completion_tokens` the reasoning ones. OpenAI reports
 * no cache writes; OpenRouter does, as `prompt_tokens_details.cache_write_tokens`.
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 * @see https://openrouter.ai/docs/use-cases/usage-accounting
 */
function readInto(usage: unknown, into: Usage): Usage {
  const promptDetails = objectField(usage, 'prompt_tokens_details');
  into.inputTokens = countField(usage, 'prompt_tokens');
  into.outputTokens = countField(usage, 'completion_tokens');
  into.cachedInputTokens = countField(promptDetails, 'cached_tokens');
  into.cacheWriteTokens = countField(promptDetails, 'cache_write_tokens');
  into.reasoningTokens = countField(objectField(usage, 'completion_tokens_details'), 'reasoning_tokens');
  return into;
}

/** The one reader of a Chat `usage` object. */
export function usageFromChat(value: unknown): Usage {
  return readInto(value, emptyUsage());
}

/** Usage in a Chat answer; cache writes only when there are some (OpenRouter's name for them). */
export function usageToChat(usage: Usage): Record<string, unknown> {
  const promptDetails: Record<string, number> = { cached_tokens: usage.cachedInputTokens };
  if (usage.cacheWriteTokens > 0) promptDetails.cache_write_tokens = usage.cacheWriteTokens;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: promptDetails,
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

/** Usage of a complete chat completion. */
export function readUsage(body: string): Usage {
  return usageOfAnswer(parseJsonObject(body));
}

/** Usage of a complete response already parsed (undefined fields count 0). */
export function usageOfAnswer(parsed: unknown): Usage {
  return usageFromChat(objectField(parsed, 'usage'));
}

/**
 * The last chunk carries `usage` (with `stream_options.include_usage`; the others say
 * `"usage":null`); compatible servers that repeat running totals in every chunk are read the same.
 */
export const streamUsage: StreamUsageSource = {
  key: '"usage"',
  latestOnly: true,
  apply(event, usage) {
    const found = objectField(event, 'usage');
    if (found !== undefined) readInto(found, usage);
  },
};
