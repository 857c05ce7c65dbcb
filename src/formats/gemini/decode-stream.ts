import { isRecord, objectOf, recordsOf, stringOf } from '../../core/json.js';
import type { StreamDecoder } from '../codec.js';
import { decodeError } from '../decode-error.js';
import type { StreamEvent } from '../internal.js';
import { eventJson } from '../server-sent-events.js';
import { statusOfStreamError } from '../stream-error-status.js';
import type { ServerSentEvent } from '../types.js';
import { decodeModelParts, syntheticCallIds } from './decode-parts.js';
import { stopReasonFromGemini } from './map-stop-reason.js';
import { usageFromGemini } from './usage.js';

/**
 * streamGenerateContent chunks (`alt=sse`) in internal form. Gemini sends each function call
 * whole in one chunk: it becomes a call start and one delta holding all its arguments.
 * @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
export function createGeminiStreamDecoder(): StreamDecoder {
  let started = false;
  let sawToolCall = false;
  let callId: ((name: string) => string) | undefined;
  return {
    decode(event: ServerSentEvent): StreamEvent[] {
      const chunk = eventJson(event);
      if (!chunk) return [];
      if (isRecord(chunk.error)) return [{ type: 'error', error: decodeError(statusOfStreamError(chunk), chunk) }];
      const events: StreamEvent[] = [];
      if (!started) {
        started = true;
        const id = stringOf(chunk.responseId) ?? '';
        callId = syntheticCallIds(`call_${id}`);
        events.push({
          type: 'start',
          id,
          model: stringOf(chunk.modelVersion) ?? '',
          inputTokens: usageFromGemini(chunk.usageMetadata).inputTokens,
        });
      }
      const candidate = recordsOf(chunk.candidates)[0] ?? {};
      for (const part of decodeModelParts(objectOf(candidate.content).parts, callId ?? syntheticCallIds('call'))) {
        if (part.type === 'text') {
          if (part.text !== '') events.push({ type: 'text-delta', text: part.text });
        } else if (part.type === 'reasoning') events.push({ type: 'reasoning-delta', text: part.text });
        else {
          sawToolCall = true;
          events.push(
            { type: 'tool-call-start', id: part.id, name: part.name },
            { type: 'tool-call-delta', arguments: part.arguments },
          );
        }
      }
      if (typeof candidate.finishReason === 'string') {
        events.push({
          type: 'finish',
          stopReason: stopReasonFromGemini(candidate.finishReason, sawToolCall),
          usage: usageFromGemini(chunk.usageMetadata),
        });
      }
      return events;
    },
    end: () => [],
  };
}
