import { definedFields } from '../../core/json.js';
import { imageUrl } from '../data-url.js';
import type { InternalMessage, InternalRequest, ToolChoice } from '../internal.js';
import { effortOf } from '../reasoning-budget.js';
import { encodeChatResponseFormat } from './response-format.js';

/**
 * An internal request as a Chat Completions body. Tool results become `tool` messages right
 * after the assistant turn that called them; reasoning parts and top_k are dropped (Chat takes
 * neither). Streams ask for the final usage chunk.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export function encodeChatRequest(request: InternalRequest): Record<string, unknown> {
  const messages: Record<string, unknown>[] = [];
  if (request.system !== undefined) messages.push({ role: 'system', content: request.system });
  for (const message of request.messages) messages.push(...encodeMessage(message));
  const effort = request.reasoning ? effortOf(request.reasoning) : undefined;
  return definedFields({
    model: request.model,
    messages,
    tools:
      request.tools.length > 0
        ? request.tools.map((tool) => ({
            type: 'function',
            function: definedFields({ name: tool.name, description: tool.description, parameters: tool.parameters }),
          }))
        : undefined,
    tool_choice: request.toolChoice && request.tools.length > 0 ? encodeToolChoice(request.toolChoice) : undefined,
    max_completion_tokens: request.maxTokens,
    temperature: request.temperature,
    top_p: request.topP,
    stop: request.stopSequences.length > 0 ? request.stopSequences : undefined,
    reasoning_effort: effort,
    response_format: encodeChatResponseFormat(request.responseFormat),
    stream: request.stream ? true : undefined,
    stream_options: request.stream ? { include_usage: true } : undefined,
  });
}

function encodeMessage(message: InternalMessage): Record<string, unknown>[] {
  if (message.role === 'assistant') {
    const text = message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
    const calls = message.parts.flatMap((part) =>
      part.type === 'tool-call'
        ? [{ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } }]
        : [],
    );
    if (text === '' && calls.length === 0) return [];
    return [
      definedFields({
        role: 'assistant',
        content: text === '' ? null : text,
        tool_calls: calls.length > 0 ? calls : undefined,
      }),
    ];
  }
  const encoded: Record<string, unknown>[] = [];
  const content: Record<string, unknown>[] = [];
  for (const part of message.parts) {
    if (part.type === 'tool-result') encoded.push({ role: 'tool', tool_call_id: part.callId, content: part.content });
    else if (part.type === 'text') content.push({ type: 'text', text: part.text });
    else if (part.type === 'image') content.push({ type: 'image_url', image_url: { url: imageUrl(part) } });
  }
  if (content.length > 0) {
    const onlyText = content.length === 1 && content[0]?.type === 'text';
    encoded.push({ role: 'user', content: onlyText ? content[0]?.text : content });
  }
  return encoded;
}

function encodeToolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
}
