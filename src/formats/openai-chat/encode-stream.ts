import type { StreamEncoder } from '../codec.js';
import { renderStreamError } from '../dispatch.js';
import type { StreamEvent } from '../internal.js';
import { describeStreamError, incompleteStreamError } from '../stream-end-errors.js';
import { chatCompletionId } from './completion-id.js';
import { stopReasonToChat } from './map-stop-reason.js';
import { usageToChat } from './usage.js';

/**
 * Internal stream events as chat completion chunks. The finish chunk carries the usage itself
 * (clients that did not ask for a usage chunk ignore the field), then `[DONE]`.
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 */
export function createChatStreamEncoder(createdSeconds: number): StreamEncoder {
  let envelope: Record<string, unknown> | undefined;
  let finished = false;
  let callIndex = -1;

  const chunk = (
    delta: Record<string, unknown>,
    finishReason: string | null,
    extra: Record<string, unknown> = {},
  ): string => {
    const choice = { index: 0, delta, logprobs: null, finish_reason: finishReason };
    return `data: ${JSON.stringify({ ...(envelope ?? begin('', '')), choices: [choice], ...extra })}\n\n`;
  };
  const begin = (id: string, model: string): Record<string, unknown> => {
    envelope = { id: chatCompletionId(id), object: 'chat.completion.chunk', created: createdSeconds, model };
    return envelope;
  };

  return {
    encode(event: StreamEvent): string {
      if (finished) return '';
      switch (event.type) {
        case 'start':
          if (envelope) return '';
          begin(event.id, event.model);
          return chunk({ role: 'assistant', content: '' }, null);
        case 'text-delta':
          return chunk({ content: event.text }, null);
        case 'reasoning-delta':
          // Not part of OpenAI's own API, but the field OpenAI-compatible servers use for thoughts.
          return chunk({ reasoning_content: event.text }, null);
        case 'reasoning-signature':
          return '';
        case 'tool-call-start':
          callIndex += 1;
          return chunk(
            {
              tool_calls: [
                { index: callIndex, id: event.id, type: 'function', function: { name: event.name, arguments: '' } },
              ],
            },
            null,
          );
        case 'tool-call-delta':
          return event.arguments === ''
            ? ''
            : chunk({ tool_calls: [{ index: callIndex, function: { arguments: event.arguments } }] }, null);
        case 'finish': {
          finished = true;
          const last = chunk({}, stopReasonToChat(event.stopReason), { usage: usageToChat(event.usage) });
          return `${last}data: [DONE]\n\n`;
        }
        case 'error':
          finished = true;
          return renderStreamError('openai-chat', describeStreamError(event.error));
      }
    },
    end(): string {
      if (finished || !envelope) return '';
      finished = true;
      return renderStreamError('openai-chat', incompleteStreamError);
    },
  };
}
