import type { InternalResponse, ResponsePart } from '../internal.js';
import { outputItem, responseObject } from './response-object.js';

/**
 * An internal answer as a response object. Consecutive text parts share one message item.
 * @see https://platform.openai.com/docs/api-reference/responses/object
 */
export function encodeResponsesResponse(response: InternalResponse, createdSeconds: number): Record<string, unknown> {
  const merged: ResponsePart[] = [];
  for (const part of response.parts) {
    const last = merged.at(-1);
    if (part.type === 'text' && last?.type === 'text')
      merged[merged.length - 1] = { type: 'text', text: last.text + part.text };
    else merged.push(part);
  }
  const output = merged.map((part, index) =>
    outputItem(
      part,
      `${part.type === 'tool-call' ? 'fc' : part.type === 'reasoning' ? 'rs' : 'msg'}_${response.id}_${index}`,
    ),
  );
  return responseObject(
    { id: response.id, model: response.model, createdSeconds, output },
    response.stopReason,
    response.usage,
  );
}
