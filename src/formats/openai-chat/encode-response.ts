import type { InternalResponse } from '../internal.js';
import { chatCompletionId } from './completion-id.js';
import { stopReasonToChat } from './map-stop-reason.js';
import { usageToChat } from './usage.js';

/**
 * An internal answer as a chat completion with one choice. @see
 * https://platform.openai.com/docs/api-reference/chat/object
 */
export function encodeChatResponse(response: InternalResponse, createdSeconds: number): Record<string, unknown> {
  const text = response.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  const calls = response.parts.flatMap((part) =>
    part.type === 'tool-call'
      ? [{ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } }]
      : [],
  );
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: text === '' && calls.length > 0 ? null : text,
    refusal: null,
  };
  if (calls.length > 0) message.tool_calls = calls;
  return {
    id: chatCompletionId(response.id),
    object: 'chat.completion',
    created: createdSeconds,
    model: response.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: stopReasonToChat(response.stopReason) }],
    usage: usageToChat(response.usage),
  };
}
