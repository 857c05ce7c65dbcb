import { countField, hasCount, isRecord, objectField, parseJson } from '../../core/json.js';
import type { StreamUsageSource, Usage } from '../types.js';

/** `usageMetadata` of a response, also inside Code Assist's `{"response":...}` wrapper. */
function metadataOf(response: unknown): Record<string, unknown> | undefined {
  return objectField(response, 'usageMetadata') ?? objectField(objectField(response, 'response'), 'usageMetadata');
}

/**
 * Input counts the prompt and tool-use prompt, output the candidates and the thoughts (both are
 * billed as output, as reasoning tokens are in the OpenAI formats).
 * @see https://ai.google.dev/api/generate-content#UsageMetadata
 */
function usageOf(metadata: Record<string, unknown> | undefined): Usage {
  return {
    inputTokens: countField(metadata, 'promptTokenCount') + countField(metadata, 'toolUsePromptTokenCount'),
    outputTokens: countField(metadata, 'candidatesTokenCount') + countField(metadata, 'thoughtsTokenCount'),
  };
}

/** Usage of a complete generateContent response (or the last element of a JSON-array stream). */
export function readUsage(body: string): Usage {
  return usageOfAnswer(parseJson(body));
}

/** Usage of a complete response already parsed (undefined fields count 0). */
export function usageOfAnswer(parsed: unknown): Usage {
  const response = Array.isArray(parsed) ? (parsed.findLast((element: unknown) => isRecord(metadataOf(element))) as unknown) : parsed;
  return usageOf(metadataOf(response));
}

/** Every chunk repeats the running totals in `usageMetadata`, so the latest one is read, once. */
export const streamUsage: StreamUsageSource = {
  key: '"usageMetadata"',
  latestOnly: true,
  apply(event, usage) {
    const metadata = metadataOf(event);
    if (metadata === undefined) return;
    const found = usageOf(metadata);
    // An early chunk may report the prompt alone; a count it leaves out keeps its earlier value.
    if (hasCount(metadata, 'promptTokenCount')) usage.inputTokens = found.inputTokens;
    if (hasCount(metadata, 'candidatesTokenCount') || hasCount(metadata, 'thoughtsTokenCount')) usage.outputTokens = found.outputTokens;
  },
};
