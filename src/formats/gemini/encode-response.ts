import { argumentsObject } from '../../core/json.js';
import type { InternalResponse, ResponsePart } from '../internal.js';
import { stopReasonToGemini } from './map-stop-reason.js';
import { usageToGemini } from './usage.js';

/**
 * An internal answer as a GenerateContentResponse with one candidate. @see
 * https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
 */
export function encodeGeminiResponse(response: InternalResponse): Record<string, unknown> {
  return {
    candidates: [
      {
        content: { role: 'model', parts: response.parts.map(encodeModelPart) },
        finishReason: stopReasonToGemini(response.stopReason),
        index: 0,
      },
    ],
    usageMetadata: usageToGemini(response.usage),
    modelVersion: response.model,
    responseId: response.id,
  };
}

/** One part of a model turn as Gemini writes it. */
export function encodeModelPart(part: ResponsePart): Record<string, unknown> {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'reasoning':
      return { text: part.text, thought: true };
    case 'tool-call':
      return { functionCall: { id: part.id, name: part.name, args: argumentsObject(part.arguments) } };
  }
}
