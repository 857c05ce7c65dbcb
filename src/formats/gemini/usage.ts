import { countField, hasCount, isRecord, objectField, parseJson } from '../../core/json.js';
import { emptyUsage, type StreamUsageSource, type Usage } from '../types.js';

/** `usageMetadata` of a response, also inside Code Assist's `{"response":...}` wrapper. */
function metadataOf(response: unknown): Record<string, unknown> | undefined {
  return objectField(response, 'usageMetadata') ?? objectField(objectField(response, 'response'), 'usageMetadata');
}

/** Input counts the prompt and the tool-use prompt (`cachedContentTokenCount` is part of the prompt). */
function inputTokens(metadata: unknown): number {
  return countField(metadata, 'promptTokenCount') + countField(metadata, 'toolUsePromptTokenCount');
}

/**
 * The one reader of a `usageMetadata` object (missing or malformed fields count 0). Output counts
 * the candidates and the thoughts: both are billed as output, as reasoning tokens are in the
 * OpenAI formats, and the thoughts are kept apart as the reasoning count. Gemini reports no cache
 * writes (a cache is created by its own call, not by a generation), so they count 0.
 * @see https://ai.google.dev/api/generate-content#UsageMetadata
 */
export function usageFromGemini(metadata: unknown): Usage {
  const usage = emptyUsage();
  const thoughts = countField(metadata, 'thoughtsTokenCount');
  usage.inputTokens = inputTokens(metadata);
  usage.outputTokens = countField(metadata, 'candidatesTokenCount') + thoughts;
  usage.cachedInputTokens = countField(metadata, 'cachedContentTokenCount');
  usage.reasoningTokens = thoughts;
  return usage;
}

/** Usage in a Gemini answer's `usageMetadata`; thoughts stand apart again, as Gemini reports them. */
export function usageToGemini(usage: Usage): Record<string, number> {
  const metadata: Record<string, number> = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - usage.reasoningTokens),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
  if (usage.reasoningTokens > 0) metadata.thoughtsTokenCount = usage.reasoningTokens;
  if (usage.cachedInputTokens > 0) metadata.cachedContentTokenCount = usage.cachedInputTokens;
  return metadata;
}

/** Usage of a complete generateContent response (or the last element of a JSON-array stream). */
export function readUsage(body: string): Usage {
  return usageOfAnswer(parseJson(body));
}

/** Usage of a complete response already parsed (undefined fields count 0). */
export function usageOfAnswer(parsed: unknown): Usage {
  const response = Array.isArray(parsed)
    ? (parsed.findLast((element: unknown) => isRecord(metadataOf(element))) as unknown)
    : parsed;
  return usageFromGemini(metadataOf(response));
}

/** Every chunk repeats the running totals in `usageMetadata`, so the latest one is read, once. */
export const streamUsage: StreamUsageSource = {
  key: '"usageMetadata"',
  latestOnly: true,
  apply(event, usage) {
    const metadata = metadataOf(event);
    if (metadata === undefined) return;
    // An early chunk may report the prompt alone; a count it leaves out keeps its earlier value.
    if (hasCount(metadata, 'promptTokenCount')) {
      usage.inputTokens = inputTokens(metadata);
      usage.cachedInputTokens = countField(metadata, 'cachedContentTokenCount');
    }
    if (hasCount(metadata, 'candidatesTokenCount') || hasCount(metadata, 'thoughtsTokenCount')) {
      const thoughts = countField(metadata, 'thoughtsTokenCount');
      usage.outputTokens = countField(metadata, 'candidatesTokenCount') + thoughts;
      usage.reasoningTokens = thoughts;
    }
  },
};
