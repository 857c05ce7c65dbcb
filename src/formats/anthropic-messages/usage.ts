import { countField, hasCount, objectField, parseJsonObject } from '../../core/json.js';
import type { StreamUsageSource, Usage } from '../types.js';

/**
 * Input counts every prompt token, cached or not, as the other formats do: `input_tokens` alone
 * leaves out cache reads and writes, which are most of a Claude Code prompt.
 * @see https://docs.anthropic.com/en/api/messages#response-usage
 */
function inputTokens(usage: unknown): number {
  return (
    countField(usage, 'input_tokens') +
    countField(usage, 'cache_creation_input_tokens') +
    countField(usage, 'cache_read_input_tokens')
  );
}

/**
 * The one reader of a Messages `usage` object (missing or malformed fields count 0). Cache reads
 * and writes are also kept apart; Messages reports no reasoning count (thinking is billed as output).
 */
export function usageFromAnthropic(usage: unknown): Usage {
  return {
    inputTokens: inputTokens(usage),
    outputTokens: countField(usage, 'output_tokens'),
    cachedInputTokens: countField(usage, 'cache_read_input_tokens'),
    cacheWriteTokens: countField(usage, 'cache_creation_input_tokens'),
    reasoningTokens: 0,
  };
}

/** Usage in a Messages answer; the cache counts stand apart again, as Messages reports them. */
export function usageToAnthropic(usage: Usage): Record<string, number> {
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens),
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cachedInputTokens,
    output_tokens: usage.outputTokens,
  };
}

/** Usage of a complete Messages response. */
export function readUsage(body: string): Usage {
  return usageOfAnswer(parseJsonObject(body));
}

/** Usage of a complete response already parsed (undefined fields count 0). */
export function usageOfAnswer(parsed: unknown): Usage {
  return usageFromAnthropic(objectField(parsed, 'usage'));
}

/**
 * `message_start` carries the input count, `message_delta` the cumulative output count (and, in
 * newer API versions, the input counts again). The stream decoder folds events with this too.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types
 */
export const streamUsage: StreamUsageSource = {
  key: '"usage"',
  latestOnly: false,
  apply(event, usage) {
    if (event.type === 'message_start') {
      const start = objectField(objectField(event, 'message'), 'usage');
      usage.inputTokens = inputTokens(start);
      usage.outputTokens = countField(start, 'output_tokens');
      usage.cachedInputTokens = countField(start, 'cache_read_input_tokens');
      usage.cacheWriteTokens = countField(start, 'cache_creation_input_tokens');
    } else if (event.type === 'message_delta') {
      const delta = objectField(event, 'usage');
      if (hasCount(delta, 'output_tokens')) usage.outputTokens = countField(delta, 'output_tokens');
      // Counts only grow within a message; max() also keeps the cache counts of message_start
      // when a delta reports input_tokens alone.
      if (hasCount(delta, 'input_tokens')) usage.inputTokens = Math.max(usage.inputTokens, inputTokens(delta));
      if (hasCount(delta, 'cache_read_input_tokens')) {
        usage.cachedInputTokens = Math.max(usage.cachedInputTokens, countField(delta, 'cache_read_input_tokens'));
      }
      if (hasCount(delta, 'cache_creation_input_tokens')) {
        usage.cacheWriteTokens = Math.max(usage.cacheWriteTokens, countField(delta, 'cache_creation_input_tokens'));
      }
    }
  },
};
