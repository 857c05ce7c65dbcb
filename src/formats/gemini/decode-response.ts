import { objectOf, recordsOf, stringOf } from '../../core/json.js';
import type { InternalResponse } from '../internal.js';
import { decodeModelParts, syntheticCallIds } from './decode-parts.js';
import { stopReasonFromGemini } from './map-stop-reason.js';
import { usageFromGemini } from './usage.js';

/**
 * A GenerateContentResponse (its first candidate) in internal form. @see
 * https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
 */
export function decodeGeminiResponse(body: Record<string, unknown>): InternalResponse {
  const id = stringOf(body.responseId) ?? '';
  const candidate = recordsOf(body.candidates)[0] ?? {};
  const parts = decodeModelParts(objectOf(candidate.content).parts, syntheticCallIds(`call_${id}`));
  return {
    id,
    model: stringOf(body.modelVersion) ?? '',
    parts,
    stopReason: stopReasonFromGemini(
      candidate.finishReason,
      parts.some((part) => part.type === 'tool-call'),
    ),
    usage: usageFromGemini(body.usageMetadata),
  };
}
