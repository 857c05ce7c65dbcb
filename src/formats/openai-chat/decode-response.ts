import { jsonText, objectOf, recordsOf, stringOf } from '../../core/json.js';
import type { InternalResponse, ResponsePart } from '../internal.js';
import { stopReasonFromChat } from './map-stop-reason.js';
import { usageFromChat } from './usage.js';

/**
 * A chat completion in internal form (its first choice). `reasoning_content`, which
 * OpenAI-compatible providers such as Qwen and DeepSeek add, is read as reasoning.
 * @see https://platform.openai.com/docs/api-reference/chat/object
 */
export function decodeChatResponse(body: Record<string, unknown>): InternalResponse {
  const choice = recordsOf(body.choices)[0] ?? {};
  const message = objectOf(choice.message);
  const parts: ResponsePart[] = [];
  const reasoning = stringOf(message.reasoning_content);
  if (reasoning) parts.push({ type: 'reasoning', text: reasoning, signature: undefined });
  const text = stringOf(message.content) ?? stringOf(message.refusal);
  if (text) parts.push({ type: 'text', text });
  for (const call of recordsOf(message.tool_calls)) {
    const fn = objectOf(call.function);
    parts.push({
      type: 'tool-call',
      id: stringOf(call.id) ?? '',
      name: stringOf(fn.name) ?? '',
      arguments: jsonText(fn.arguments),
    });
  }
  return {
    id: stringOf(body.id) ?? '',
    model: stringOf(body.model) ?? '',
    parts,
    stopReason: stopReasonFromChat(choice.finish_reason),
    usage: usageFromChat(body.usage),
  };
}
