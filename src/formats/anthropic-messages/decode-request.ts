import { isRecord, numberOf, objectOf, recordsOf, stringOf, stringsOf } from '../../core/json.js';
import type { RequestContext } from '../codec.js';
import type { InternalMessage, InternalRequest, MessagePart, ToolChoice, ToolDefinition } from '../internal.js';
import { fillToolResultNames } from '../tool-result-names.js';
import { decodeAnthropicResponseFormat } from './response-format.js';

/**
 * A Messages request in internal form. Dropped: cache_control, documents, server tools (web
 * search and the like), redacted thinking, metadata, service_tier.
 * @see https://docs.anthropic.com/en/api/messages
 */
export function decodeAnthropicRequest(body: Record<string, unknown>, context: RequestContext): InternalRequest {
  const thinking = objectOf(body.thinking);
  const budget = thinking.type === 'enabled' ? numberOf(thinking.budget_tokens) : undefined;
  return {
    model: stringOf(body.model) ?? context.pathModel,
    system: systemText(body.system),
    messages: fillToolResultNames(recordsOf(body.messages).map(decodeMessage)),
    tools: recordsOf(body.tools).flatMap(decodeTool),
    toolChoice: decodeToolChoice(body.tool_choice),
    maxTokens: numberOf(body.max_tokens),
    temperature: numberOf(body.temperature),
    topP: numberOf(body.top_p),
    topK: numberOf(body.top_k),
    stopSequences: stringsOf(body.stop_sequences),
    reasoning: budget === undefined ? undefined : { effort: undefined, budgetTokens: budget },
    responseFormat: decodeAnthropicResponseFormat(body),
    stream: context.stream,
  };
}

function systemText(system: unknown): string | undefined {
  if (typeof system === 'string') return system === '' ? undefined : system;
  const texts = recordsOf(system).flatMap((block) => (typeof block.text === 'string' ? [block.text] : []));
  return texts.length > 0 ? texts.join('\n\n') : undefined;
}

function decodeMessage(message: Record<string, unknown>): InternalMessage {
  const role = message.role === 'assistant' ? 'assistant' : 'user';
  if (typeof message.content === 'string') return { role, parts: [{ type: 'text', text: message.content }] };
  return { role, parts: recordsOf(message.content).flatMap(decodeBlock) };
}

function decodeBlock(block: Record<string, unknown>): MessagePart[] {
  switch (block.type) {
    case 'text':
      return [{ type: 'text', text: stringOf(block.text) ?? '' }];
    case 'image': {
      const source = objectOf(block.source);
      if (source.type === 'url' && typeof source.url === 'string')
        return [{ type: 'image', source: 'url', url: source.url }];
      if (source.type === 'base64' && typeof source.data === 'string') {
        return [
          { type: 'image', source: 'base64', mediaType: stringOf(source.media_type) ?? 'image/png', data: source.data },
        ];
      }
      return [];
    }
    case 'tool_use':
      return [
        {
          type: 'tool-call',
          id: stringOf(block.id) ?? '',
          name: stringOf(block.name) ?? '',
          arguments: JSON.stringify(block.input ?? {}),
        },
      ];
    case 'tool_result':
      return [
        {
          type: 'tool-result',
          callId: stringOf(block.tool_use_id) ?? '',
          name: undefined,
          content: resultText(block.content),
          isError: block.is_error === true,
        },
      ];
    case 'thinking':
      return [{ type: 'reasoning', text: stringOf(block.thinking) ?? '', signature: stringOf(block.signature) }];
    default:
      return [];
  }
}

/** A tool result's content as text: its text blocks joined (images inside results are dropped). */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  return recordsOf(content)
    .flatMap((block) => (block.type === 'text' && typeof block.text === 'string' ? [block.text] : []))
    .join('\n');
}

/** Client tools only: server tools (`web_search_20250305`, ...) have no input_schema and no counterpart elsewhere. */
function decodeTool(tool: Record<string, unknown>): ToolDefinition[] {
  if (typeof tool.name !== 'string' || !isRecord(tool.input_schema)) return [];
  return [{ name: tool.name, description: stringOf(tool.description), parameters: tool.input_schema }];
}

function decodeToolChoice(value: unknown): ToolChoice | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'auto':
      return { type: 'auto' };
    case 'any':
      return { type: 'required' };
    case 'none':
      return { type: 'none' };
    case 'tool':
      return typeof value.name === 'string' ? { type: 'tool', name: value.name } : undefined;
    default:
      return undefined;
  }
}
