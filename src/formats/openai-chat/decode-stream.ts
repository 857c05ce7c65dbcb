import { isRecord, objectOf, recordsOf, stringOf } from '../../core/json.js';
import type { StreamDecoder } from '../codec.js';
import { decodeError } from '../decode-error.js';
import type { StopReason, StreamEvent } from '../internal.js';
import { eventJson } from '../server-sent-events.js';
import { statusOfStreamError } from '../stream-error-status.js';
import { emptyUsage, type ServerSentEvent, type Usage } from '../types.js';
import { stopReasonFromChat } from './map-stop-reason.js';
import { createTextDeltaReader } from './read-text-delta.js';
import { usageFromChat } from './usage.js';

/**
 * Chat completion chunks in internal form. The finish is held until `[DONE]` (or the stream's
 * end), because the usage chunk of `stream_options.include_usage` comes after `finish_reason`.
 * Once started, a chunk that is only a text delta is read without parsing it (`read-text-delta.ts`);
 * `readsTextDeltas: false` parses every chunk, the reference that fast read is tested against.
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 */
export function createChatStreamDecoder({ readsTextDeltas = true } = {}): StreamDecoder {
  let started = false;
  let stopReason: StopReason | undefined;
  let usage: Usage = emptyUsage();
  let finished = false;
  /** Chat numbers parallel calls by `index`; a new index (or an id) starts a new call. */
  let currentCall: number | undefined;
  const textDeltas = readsTextDeltas ? createTextDeltaReader() : undefined;

  const finish = (): StreamEvent[] => {
    if (finished || stopReason === undefined) return [];
    finished = true;
    return [{ type: 'finish', stopReason, usage }];
  };

  return {
    decode(event: ServerSentEvent): StreamEvent[] {
      if (started && textDeltas) {
        const text = textDeltas.read(event.data);
        if (text !== undefined) return text === '' ? [] : [{ type: 'text-delta', text }];
      }
      if (event.data.trim() === '[DONE]') return finish();
      const chunk = eventJson(event);
      if (!chunk) return [];
      if (isRecord(chunk.error)) {
        finished = true;
        return [{ type: 'error', error: decodeError(statusOfStreamError(chunk), chunk) }];
      }
      const events: StreamEvent[] = [];
      if (!started) {
        started = true;
        events.push({
          type: 'start',
          id: stringOf(chunk.id) ?? '',
          model: stringOf(chunk.model) ?? '',
          inputTokens: 0,
        });
      }
      if (isRecord(chunk.usage)) usage = usageFromChat(chunk.usage);
      for (const choice of recordsOf(chunk.choices)) {
        if (choice.index !== undefined && choice.index !== 0) continue;
        const delta = objectOf(choice.delta);
        const reasoning = stringOf(delta.reasoning_content);
        if (reasoning) events.push({ type: 'reasoning-delta', text: reasoning });
        const text = stringOf(delta.content);
        if (text) events.push({ type: 'text-delta', text });
        for (const call of recordsOf(delta.tool_calls)) {
          const fn = objectOf(call.function);
          const index = typeof call.index === 'number' ? call.index : (currentCall ?? 0);
          if (index !== currentCall || typeof call.id === 'string') {
            currentCall = index;
            events.push({
              type: 'tool-call-start',
              id: stringOf(call.id) ?? `call_${index}`,
              name: stringOf(fn.name) ?? '',
            });
          }
          const piece = stringOf(fn.arguments);
          if (piece) events.push({ type: 'tool-call-delta', arguments: piece });
        }
        if (typeof choice.finish_reason === 'string') stopReason = stopReasonFromChat(choice.finish_reason);
      }
      const [only] = events;
      if (events.length === 1 && only?.type === 'text-delta') textDeltas?.learn(event.data, only.text);
      return events;
    },
    end: finish,
  };
}
