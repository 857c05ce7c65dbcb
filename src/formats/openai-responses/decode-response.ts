import { jsonText, recordsOf, stringOf } from '../../core/json.js';
import type { InternalResponse, ResponsePart } from '../internal.js';
import { stopReasonFromResponse } from './map-stop-reason.js';
import { usageFromResponses } from './usage.js';

/** A response object in internal form. @see https://platform.openai.com/docs/api-reference/responses/object */
export function decodeResponsesResponse(body: Record<string, unknown>): InternalResponse {
  const parts: ResponsePart[] = [];
  for (const item of recordsOf(body.output)) {
    if (item.type === 'message') {
      for (const content of recordsOf(item.content)) {
        if (content.type === 'output_text' && typeof content.text === 'string')
          parts.push({ type: 'text', text: content.text });
        else if (content.type === 'refusal' && typeof content.refusal === 'string')
          parts.push({ type: 'text', text: content.refusal });
      }
    } else if (item.type === 'function_call') {
      parts.push({
        type: 'tool-call',
        id: stringOf(item.call_id) ?? '',
        name: stringOf(item.name) ?? '',
        arguments: jsonText(item.arguments),
      });
    } else if (item.type === 'reasoning') {
      const text = recordsOf(item.summary)
        .flatMap((part) => (typeof part.text === 'string' ? [part.text] : []))
        .join('\n');
      if (text !== '') parts.push({ type: 'reasoning', text, signature: undefined });
    }
  }
  return {
    id: stringOf(body.id) ?? '',
    model: stringOf(body.model) ?? '',
    parts,
    stopReason: stopReasonFromResponse(body),
    usage: usageFromResponses(body.usage),
  };
}
