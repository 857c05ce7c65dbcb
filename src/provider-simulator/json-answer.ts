import { isRecord } from '../core/json.js';
import { decodeAnthropicResponseFormat } from '../formats/anthropic-messages/response-format.js';
import { decodeGeminiResponseFormat } from '../formats/gemini/response-format.js';
import type { ResponseFormat } from '../formats/internal.js';
import { decodeChatResponseFormat } from '../formats/openai-chat/response-format.js';
import { decodeResponsesFormat } from '../formats/openai-responses/response-format.js';
import type { AnswerText } from './answer-text.js';
import { schemaInstance } from './schema-instance.js';
import type { SimulatedFormat } from './types.js';

/** The structured output a request asks for in its own format (Code Assist wraps Gemini's as `request`), if any. */
export function requestedResponseFormat(
  format: SimulatedFormat,
  body: Record<string, unknown>,
): ResponseFormat | undefined {
  switch (format) {
    case 'anthropic':
      return decodeAnthropicResponseFormat(body);
    case 'chat':
      return decodeChatResponseFormat(body.response_format);
    case 'responses':
      return decodeResponsesFormat(body.text);
    case 'gemini': {
      const request = isRecord(body.request) ? body.request : body;
      return decodeGeminiResponseFormat(isRecord(request.generationConfig) ? request.generationConfig : {});
    }
  }
}

/**
 * A JSON-mode answer: a minimal instance of the schema, or `{"answer": <the usual text>}` for
 * plain JSON mode, cut into `deltaCount` pieces (clients join stream deltas, so any cut is fine).
 */
export function jsonAnswer(format: ResponseFormat, plain: AnswerText, deltaCount: number): AnswerText {
  const text = JSON.stringify(format.type === 'json-schema' ? schemaInstance(format.schema) : { answer: plain.text });
  const pieceCount = Math.max(1, Math.min(Math.floor(deltaCount), text.length));
  const pieces = Array.from({ length: pieceCount }, (_, piece) =>
    text.slice(Math.floor((piece * text.length) / pieceCount), Math.floor(((piece + 1) * text.length) / pieceCount)),
  );
  return { text, pieces, words: Math.max(1, Math.ceil(text.length / 4)) };
}
