import { objectOf, stringOf } from '../../core/json.js';
import type { StreamDecoder } from '../codec.js';
import { decodeError } from '../decode-error.js';
import type { StreamEvent } from '../internal.js';
import { eventJson } from '../server-sent-events.js';
import { statusOfStreamError } from '../stream-error-status.js';
import type { ServerSentEvent } from '../types.js';
import { stopReasonFromResponse } from './map-stop-reason.js';
import { usageFromResponses } from './usage.js';

/**
 * Responses stream events in internal form; function-call arguments pass on delta by delta.
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 */
export function createResponsesStreamDecoder(): StreamDecoder {
  let sawToolCall = false;
  return {
    decode(event: ServerSentEvent): StreamEvent[] {
      const data = eventJson(event);
      if (!data) return [];
      switch (data.type ?? event.event) {
        case 'response.created': {
          const response = objectOf(data.response);
          return [
            { type: 'start', id: stringOf(response.id) ?? '', model: stringOf(response.model) ?? '', inputTokens: 0 },
          ];
        }
        case 'response.output_item.added': {
          const item = objectOf(data.item);
          if (item.type !== 'function_call') return [];
          sawToolCall = true;
          const events: StreamEvent[] = [
            {
              type: 'tool-call-start',
              id: stringOf(item.call_id) ?? stringOf(item.id) ?? '',
              name: stringOf(item.name) ?? '',
            },
          ];
          const initial = stringOf(item.arguments);
          if (initial) events.push({ type: 'tool-call-delta', arguments: initial });
          return events;
        }
        case 'response.output_text.delta':
        case 'response.refusal.delta':
          return [{ type: 'text-delta', text: stringOf(data.delta) ?? '' }];
        case 'response.function_call_arguments.delta':
          return [{ type: 'tool-call-delta', arguments: stringOf(data.delta) ?? '' }];
        case 'response.reasoning_summary_text.delta':
        case 'response.reasoning_text.delta':
          return [{ type: 'reasoning-delta', text: stringOf(data.delta) ?? '' }];
        case 'response.completed':
        case 'response.incomplete': {
          const response = objectOf(data.response);
          const reason = stopReasonFromResponse(response);
          return [
            {
              type: 'finish',
              stopReason: reason === 'end' && sawToolCall ? 'tool-use' : reason,
              usage: usageFromResponses(response.usage),
            },
          ];
        }
        case 'response.failed':
        case 'error':
          return [{ type: 'error', error: decodeError(statusOfStreamError(data), data) }];
        default:
          return [];
      }
    },
    end: () => [],
  };
}
