import { countField, isRecord, objectField, parseJsonObject } from '../../core/json.js';
import type { StreamUsageSource, Usage } from '../types.js';

function usageOf(object: Record<string, unknown> | undefined): Usage {
  const usage = objectField(object, 'usage');
  return { inputTokens: countField(usage, 'prompt_tokens'), outputTokens: countField(usage, 'completion_tokens') };
}

/**
 * Usage of a complete chat completion (`prompt_tokens` include cached ones, `completion_tokens`
 * reasoning ones).
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 */
export function readUsage(body: string): Usage {
  return usageOf(parseJsonObject(body));
}

/** Usage of a complete response already parsed (undefined fields count 0). */
export function usageOfAnswer(parsed: unknown): Usage {
  return usageOf(isRecord(parsed) ? parsed : undefined);
}

/**
 * The last chunk carries `usage` (with `stream_options.include_usage`; the others say
 * `"usage":null`); compatible servers that repeat running totals in every chunk are read the same.
 */
export const streamUsage: StreamUsageSource = {
  key: '"usage"',
  latestOnly: true,
  apply(event, usage) {
    if (objectField(event, 'usage') === undefined) return;
    const found = usageOf(event);
    usage.inputTokens = found.inputTokens;
    usage.outputTokens = found.outputTokens;
  },
};
