import { isRecord, jsonText, numberOf, objectOf, recordsOf, stringOf, stringsOf } from '../../core/json.js';
import type { RequestContext } from '../codec.js';
import { imageFromUrl } from '../data-url.js';
import type { InternalMessage, InternalRequest, MessagePart, ToolChoice, ToolDefinition } from '../internal.js';
import { parseEffort } from '../reasoning-budget.js';
import { fillToolResultNames } from '../tool-result-names.js';
import { decodeChatResponseFormat } from './response-format.js';

/**
 * A Chat Completions request in internal form. System and developer messages become the system
 * prompt; `tool` messages become tool results of a user turn. Dropped: n, logprobs, seed,
 * audio, frequency/presence penalties, logit_bias, user, store, metadata.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export function decodeChatRequest(body: Record<string, unknown>, context: RequestContext): InternalRequest {
  const system: string[] = [];
  const messages: InternalMessage[] = [];
  const push = (role: InternalMessage['role'], parts: MessagePart[]) => {
    const last = messages.at(-1);
    // A run of tool messages answers one assistant turn: keep the results together in one user turn.
    if (
      last &&
      last.role === role &&
      role === 'user' &&
      parts.every((part) => part.type === 'tool-result') &&
      last.parts.every((part) => part.type === 'tool-result')
    ) {
      last.parts.push(...parts);
      return;
    }
    messages.push({ role, parts });
  };
  for (const message of recordsOf(body.messages)) {
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = contentText(message.content);
        if (text !== '') system.push(text);
        break;
      }
      case 'assistant': {
        const parts: MessagePart[] = [];
        const reasoning = stringOf(message.reasoning_content);
        if (reasoning) parts.push({ type: 'reasoning', text: reasoning, signature: undefined });
        const text = contentText(message.content);
        if (text !== '') parts.push({ type: 'text', text });
        for (const call of recordsOf(message.tool_calls)) {
          const fn = objectOf(call.function);
          parts.push({
            type: 'tool-call',
            id: stringOf(call.id) ?? '',
            name: stringOf(fn.name) ?? '',
            arguments: jsonText(fn.arguments),
          });
        }
        push('assistant', parts);
        break;
      }
      case 'tool':
        push('user', [
          {
            type: 'tool-result',
            callId: stringOf(message.tool_call_id) ?? '',
            name: undefined,
            content: contentText(message.content),
            isError: false,
          },
        ]);
        break;
      default:
        push('user', userParts(message.content));
    }
  }
  const maxTokens = numberOf(body.max_completion_tokens) ?? numberOf(body.max_tokens);
  const effort = parseEffort(body.reasoning_effort);
  return {
    model: stringOf(body.model) ?? context.pathModel,
    system: system.length > 0 ? system.join('\n\n') : undefined,
    messages: fillToolResultNames(messages),
    tools: recordsOf(body.tools).flatMap(decodeTool),
    toolChoice: decodeToolChoice(body.tool_choice),
    maxTokens,
    temperature: numberOf(body.temperature),
    topP: numberOf(body.top_p),
    topK: undefined,
    stopSequences: stringsOf(body.stop),
    reasoning: effort === undefined ? undefined : { effort, budgetTokens: undefined },
    responseFormat: decodeChatResponseFormat(body.response_format),
    stream: context.stream,
  };
}

/** Text of a string or of the text parts of a content array. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return recordsOf(content)
    .flatMap((part) => (typeof part.text === 'string' ? [part.text] : []))
    .join('\n');
}

function userParts(content: unknown): MessagePart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return recordsOf(content).flatMap((part): MessagePart[] => {
    if (part.type === 'text' && typeof part.text === 'string') return [{ type: 'text', text: part.text }];
    if (part.type === 'image_url') {
      const url = stringOf(objectOf(part.image_url).url) ?? stringOf(part.image_url);
      return url === undefined ? [] : [imageFromUrl(url)];
    }
    return [];
  });
}

function decodeTool(tool: Record<string, unknown>): ToolDefinition[] {
  const fn = objectOf(tool.function);
  if (tool.type !== 'function' || typeof fn.name !== 'string') return [];
  return [
    {
      name: fn.name,
      description: stringOf(fn.description),
      parameters: isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
    },
  ];
}

function decodeToolChoice(value: unknown): ToolChoice | undefined {
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  if (isRecord(value)) {
    const name = stringOf(objectOf(value.function).name);
    if (name !== undefined) return { type: 'tool', name };
  }
  return undefined;
}
