import type { InternalUsage } from '../internal.js';
import { countOf, objectOf } from '../../core/json.js';

/**
 * Gemini counts thinking apart from the answer (`thoughtsTokenCount`); internally it is part of
 * the output, as the OpenAI formats count it.
 * @see https://ai.google.dev/api/generate-content#UsageMetadata
 */
export function usageFromGemini(value: unknown): InternalUsage {
  const usage = objectOf(value);
  const thoughts = countOf(usage.thoughtsTokenCount);
  return {
    inputTokens: countOf(usage.promptTokenCount),
    outputTokens: countOf(usage.candidatesTokenCount) + thoughts,
    cachedInputTokens: countOf(usage.cachedContentTokenCount),
    reasoningTokens: thoughts,
  };
}

export function usageToGemini(usage: InternalUsage): Record<string, number> {
  const metadata: Record<string, number> = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - usage.reasoningTokens),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
  if (usage.reasoningTokens > 0) metadata.thoughtsTokenCount = usage.reasoningTokens;
  if (usage.cachedInputTokens > 0) metadata.cachedContentTokenCount = usage.cachedInputTokens;
  return metadata;
}
