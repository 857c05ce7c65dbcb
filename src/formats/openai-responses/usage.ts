import { countField, objectField, parseJsonObject } from '../../core/json.js';
import { emptyUsage, type StreamUsageSource, type Usage } from '../types.js';

/**
 * Reads a Responses `usage` object into `into` and returns it; missing or malformed fields count
 * 0. `input_tokens` include the cached ones, `output_tokens` the reasoning ones. OpenAI reports no
 * cache writes; a compatible server that does is read under the name Chat uses (`cache_write_tokens`).
 * @see https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage
 */
function readInto(usage: unknown, into: Usage): Usage {
  const inputDetails = objectField(usage, 'input_tokens_details');
  into.inputTokens = countField(usage, 'input_tokens');
  into.outputTokens = countField(usage, 'output_tokens');
  into.cachedInputTokens = countField(inputDetails, 'cached_tokens');
  into.cacheWriteTokens = countField(inputDetails, 'cache_write_tokens');
  into.reasoningTokens = countField(objectField(usage, 'output_tokens_details'), 'reasoning_tokens');
  return into;
}

/** The one reader of a Responses `usage` object. */
export function usageFromResponses(value: unknown): Usage {
  return readInto(value, emptyUsage());
}

/** Usage in a Responses answer; cache writes only when there are some. */
export function usageToResponses(usage: Usage): Record<string, unknown> {
  const inputDetails: Record<string, number> = { cached_tokens: usage.cachedInputTokens };
  if (usage.cacheWriteTokens > 0) inputDetails.cache_write_tokens = usage.cacheWriteTokens;
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: inputDetails,
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** Usage of a complete response. */
export function readUsage(body: string): Usage {
  return usageOfAnswer(parseJsonObject(body));
}

/** Usage of a complete response already parsed (undefined fields count 0). */
export function usageOfAnswer(parsed: unknown): Usage {
  return usageFromResponses(objectField(parsed, 'usage'));
}

/** The final lifecycle events carry the whole response with its usage. */
const finalEvents = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/**
 * Only the final event holds usage (`response.created` says `"usage":null`); it is the last
 * event, so the latest usage-carrying one is the one to read.
 */
export const streamUsage: StreamUsageSource = {
  key: '"usage"',
  latestOnly: true,
  apply(event, usage) {
    if (typeof event.type !== 'string' || !finalEvents.has(event.type)) return;
    const found = objectField(objectField(event, 'response'), 'usage');
    if (found !== undefined) readInto(found, usage);
  },
};
