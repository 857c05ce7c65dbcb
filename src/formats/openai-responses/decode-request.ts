import { isRecord, jsonText, numberOf, objectOf, recordsOf, stringOf } from '../../core/json.js';
import type { RequestContext } from '../codec.js';
import { imageFromUrl } from '../data-url.js';
import type { InternalMessage, InternalRequest, MessagePart, ToolChoice, ToolDefinition } from '../internal.js';
import { parseEffort } from '../reasoning-budget.js';
import { fillToolResultNames } from '../tool-result-names.js';
import { decodeResponsesFormat } from './response-format.js';

/**
 * A Responses request in internal form. Dropped: previous_response_id and conversation (the
 * history lives on OpenAI's side), built-in tools (web search, file search, code interpreter...),
 * include, store, truncation, metadata, encrypted reasoning.
 * @see https://platform.openai.com/docs/api-reference/responses/create
 */
export function decodeResponsesRequest(body: Record<string, unknown>, context: RequestContext): InternalRequest {
  const system: string[] = [];
  const instructions = stringOf(body.instructions);
  if (instructions) system.push(instructions);
  const messages: InternalMessage[] = [];
  const add = (role: InternalMessage['role'], parts: MessagePart[]) => {
    const last = messages.at(-1);
    if (last && last.role === role) last.parts.push(...parts);
    else messages.push({ role, parts });
  };
  if (typeof body.input === 'string') add('user', [{ type: 'text', text: body.input }]);
  for (const item of recordsOf(body.input)) {
    const type = item.type ?? 'message';
    if (type === 'message') {
      if (item.role === 'system' || item.role === 'developer') {
        const text = contentParts(item.content)
          .flatMap((part) => (part.type === 'text' ? [part.text] : []))
          .join('\n');
        if (text !== '') system.push(text);
      } else add(item.role === 'assistant' ? 'assistant' : 'user', contentParts(item.content));
    } else if (type === 'function_call') {
      add('assistant', [
        {
          type: 'tool-call',
          id: stringOf(item.call_id) ?? '',
          name: stringOf(item.name) ?? '',
          arguments: jsonText(item.arguments),
        },
      ]);
    } else if (type === 'function_call_output') {
      add('user', [
        {
          type: 'tool-result',
          callId: stringOf(item.call_id) ?? '',
          name: undefined,
          content: outputText(item.output),
          isError: false,
        },
      ]);
    } else if (type === 'reasoning') {
      const text = recordsOf(item.summary)
        .flatMap((part) => (typeof part.text === 'string' ? [part.text] : []))
        .join('\n');
      if (text !== '') add('assistant', [{ type: 'reasoning', text, signature: undefined }]);
    }
  }
  const reasoning = objectOf(body.reasoning);
  const effort = parseEffort(reasoning.effort);
  return {
    model: stringOf(body.model) ?? context.pathModel,
    system: system.length > 0 ? system.join('\n\n') : undefined,
    messages: fillToolResultNames(messages),
    tools: recordsOf(body.tools).flatMap(decodeTool),
    toolChoice: decodeToolChoice(body.tool_choice),
    maxTokens: numberOf(body.max_output_tokens),
    temperature: numberOf(body.temperature),
    topP: numberOf(body.top_p),
    topK: undefined,
    stopSequences: [],
    reasoning: effort === undefined ? undefined : { effort, budgetTokens: undefined },
    responseFormat: decodeResponsesFormat(body.text),
    stream: context.stream,
  };
}

function contentParts(content: unknown): MessagePart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return recordsOf(content).flatMap((part): MessagePart[] => {
    if (
      (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text') &&
      typeof part.text === 'string'
    ) {
      return [{ type: 'text', text: part.text }];
    }
    if (part.type === 'input_image' && typeof part.image_url === 'string') return [imageFromUrl(part.image_url)];
    return [];
  });
}

/** A function call's output: text, or a list of content parts whose text is kept. */
function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  return recordsOf(output)
    .flatMap((part) => (typeof part.text === 'string' ? [part.text] : []))
    .join('\n');
}

function decodeTool(tool: Record<string, unknown>): ToolDefinition[] {
  if (tool.type !== 'function' || typeof tool.name !== 'string') return [];
  return [
    {
      name: tool.name,
      description: stringOf(tool.description),
      parameters: isRecord(tool.parameters) ? tool.parameters : { type: 'object', properties: {} },
    },
  ];
}

function decodeToolChoice(value: unknown): ToolChoice | undefined {
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  if (isRecord(value) && value.type === 'function' && typeof value.name === 'string')
    return { type: 'tool', name: value.name };
  return undefined;
}
