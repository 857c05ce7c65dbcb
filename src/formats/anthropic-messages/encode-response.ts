import { argumentsObject } from '../../core/json.js';
import type { InternalResponse, ResponsePart } from '../internal.js';
import { stopReasonToAnthropic } from './map-stop-reason.js';
import { anthropicMessageId } from './message-id.js';
import { usageToAnthropic } from './usage.js';

/** An internal answer as a Messages answer. @see https://docs.anthropic.com/en/api/messages */
export function encodeAnthropicResponse(response: InternalResponse): Record<string, unknown> {
  return {
    id: anthropicMessageId(response.id),
    type: 'message',
    role: 'assistant',
    model: response.model,
    content: response.parts.map(encodePart),
    stop_reason: stopReasonToAnthropic(response.stopReason),
    stop_sequence: null,
    usage: usageToAnthropic(response.usage),
  };
}

function encodePart(part: ResponsePart): Record<string, unknown> {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'tool-call':
      return { type: 'tool_use', id: part.id, name: part.name, input: argumentsObject(part.arguments) };
    case 'reasoning':
      return { type: 'thinking', thinking: part.text, signature: part.signature ?? '' };
  }
}
