import { objectOf, stringOf } from '../../core/json.js';
import type { StreamDecoder } from '../codec.js';
import { decodeError } from '../decode-error.js';
import type { StopReason, StreamEvent } from '../internal.js';
import { eventJson } from '../server-sent-events.js';
import { statusOfStreamError } from '../stream-error-status.js';
import { emptyUsage, type ServerSentEvent } from '../types.js';
import { stopReasonFromAnthropic } from './map-stop-reason.js';
import { streamUsage } from './usage.js';

/**
 * Messages stream events in internal form, one at a time: `input_json_delta` pieces of a tool
 * call's arguments pass on as they come.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
export function createAnthropicStreamDecoder(): StreamDecoder {
  /** Folded from message_start and message_delta as the usage tracker folds them. */
  const usage = emptyUsage();
  let stopReason: StopReason = 'end';
  return {
    decode(event: ServerSentEvent): StreamEvent[] {
      const data = eventJson(event);
      if (!data) return [];
      switch (data.type) {
        case 'message_start': {
          const message = objectOf(data.message);
          streamUsage.apply(data, usage);
          return [
            {
              type: 'start',
              id: stringOf(message.id) ?? '',
              model: stringOf(message.model) ?? '',
              inputTokens: usage.inputTokens,
            },
          ];
        }
        case 'content_block_start': {
          const block = objectOf(data.content_block);
          if (block.type === 'tool_use')
            return [{ type: 'tool-call-start', id: stringOf(block.id) ?? '', name: stringOf(block.name) ?? '' }];
          if (block.type === 'text' && typeof block.text === 'string' && block.text !== '')
            return [{ type: 'text-delta', text: block.text }];
          return [];
        }
        case 'content_block_delta': {
          const delta = objectOf(data.delta);
          if (delta.type === 'text_delta') return [{ type: 'text-delta', text: stringOf(delta.text) ?? '' }];
          if (delta.type === 'input_json_delta')
            return [{ type: 'tool-call-delta', arguments: stringOf(delta.partial_json) ?? '' }];
          if (delta.type === 'thinking_delta')
            return [{ type: 'reasoning-delta', text: stringOf(delta.thinking) ?? '' }];
          if (delta.type === 'signature_delta')
            return [{ type: 'reasoning-signature', signature: stringOf(delta.signature) ?? '' }];
          return [];
        }
        case 'message_delta': {
          const delta = objectOf(data.delta);
          if (delta.stop_reason !== undefined && delta.stop_reason !== null)
            stopReason = stopReasonFromAnthropic(delta.stop_reason);
          // message_delta's counts are cumulative; input counts appear there only sometimes.
          streamUsage.apply(data, usage);
          return [];
        }
        case 'message_stop':
          return [{ type: 'finish', stopReason, usage: { ...usage } }];
        case 'error':
          return [{ type: 'error', error: decodeError(statusOfStreamError(data), data) }];
        default:
          return [];
      }
    },
    end(): StreamEvent[] {
      return [];
    },
  };
}
