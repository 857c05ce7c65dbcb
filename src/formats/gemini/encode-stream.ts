import type { StreamEncoder } from '../codec.js';
import { renderStreamError } from '../dispatch.js';
import type { StreamEvent, ToolCallPart } from '../internal.js';
import { describeStreamError, incompleteStreamError } from '../stream-end-errors.js';
import { encodeModelPart } from './encode-response.js';
import { stopReasonToGemini } from './map-stop-reason.js';
import { usageToGemini } from './usage.js';

/**
 * Internal stream events as streamGenerateContent chunks. Text and thoughts go out a chunk per
 * delta; a function call is held until its arguments are complete, because Gemini's format
 * carries a call whole (as parsed `args`), never in pieces.
 * @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
export function createGeminiStreamEncoder(): StreamEncoder {
  let envelope = { modelVersion: '', responseId: '' };
  let started = false;
  let finished = false;
  let pendingCall: ToolCallPart | undefined;

  const chunk = (
    parts: Record<string, unknown>[],
    extra: Record<string, unknown> = {},
    candidateExtra: Record<string, unknown> = {},
  ): string => {
    const candidate = { content: { role: 'model', parts }, index: 0, ...candidateExtra };
    return `data: ${JSON.stringify({ candidates: [candidate], ...extra, ...envelope })}\r\n\r\n`;
  };
  const flushCall = (): Record<string, unknown>[] => {
    if (!pendingCall) return [];
    const part = encodeModelPart(pendingCall);
    pendingCall = undefined;
    return [part];
  };
  const withPendingCall = (parts: Record<string, unknown>[]): string => {
    const held = flushCall();
    return held.length > 0 ? chunk(held) + chunk(parts) : chunk(parts);
  };

  return {
    encode(event: StreamEvent): string {
      if (finished) return '';
      switch (event.type) {
        case 'start':
          started = true;
          envelope = { modelVersion: event.model, responseId: event.id };
          return '';
        case 'text-delta':
          started = true;
          return withPendingCall([{ text: event.text }]);
        case 'reasoning-delta':
          started = true;
          return withPendingCall([{ text: event.text, thought: true }]);
        case 'reasoning-signature':
          return '';
        case 'tool-call-start': {
          started = true;
          const held = flushCall();
          pendingCall = { type: 'tool-call', id: event.id, name: event.name, arguments: '' };
          return held.length > 0 ? chunk(held) : '';
        }
        case 'tool-call-delta':
          if (pendingCall) pendingCall.arguments += event.arguments;
          return '';
        case 'finish':
          finished = true;
          return chunk(
            flushCall(),
            { usageMetadata: usageToGemini(event.usage) },
            { finishReason: stopReasonToGemini(event.stopReason) },
          );
        case 'error':
          finished = true;
          return renderStreamError('gemini', describeStreamError(event.error));
      }
    },
    end(): string {
      if (finished || !started) return '';
      finished = true;
      return renderStreamError('gemini', incompleteStreamError);
    },
  };
}
