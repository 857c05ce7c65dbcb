import { countField, isRecord, objectField, parseJsonObject } from '../../core/json.js';
import type { StreamUsageSource, Usage } from '../types.js';

function usageOf(response: Record<string, unknown> | undefined): Usage {
  const usage = objectField(response, 'usage');
  return { inputTokens: countField(usage, 'input_tokens'), outputTokens: countField(usage, 'output_tokens') };
}

/**
 * Usage of a complete response (`input_tokens` include cached ones, `output_tokens` reasoning ones).
 * @see https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage
 */
export function readUsage(body: string): Usage {
  return usageOf(parseJsonObject(body));
}

/** Usage of a complete response already parsed (undefined fields count 0). */
export function usageOfAnswer(parsed: unknown): Usage {
  return usageOf(isRecord(parsed) ? parsed : undefined);
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
    const response = objectField(event, 'response');
    if (objectField(response, 'usage') === undefined) return;
    const found = usageOf(response);
    usage.inputTokens = found.inputTokens;
    usage.outputTokens = found.outputTokens;
  },
};
