import { argumentsObject, definedFields } from '../../core/json.js';
import type { InternalRequest, MessagePart, ToolChoice } from '../internal.js';
import { budgetOf } from '../reasoning-budget.js';
import { encodeAnthropicResponseFormat } from './response-format.js';

/** Anthropic requires max_tokens; this is used when the client's format left it out. */
export const defaultAnthropicMaxTokens = 8192;
/** The smallest thinking budget Anthropic accepts. */
const minimumThinkingBudget = 1024;

/**
 * An internal request as a Messages body. Reasoning parts without Anthropic's signature (from
 * other providers) are dropped, since Anthropic refuses thinking blocks it did not sign; with
 * thinking on, temperature and top_k are left out, as Anthropic requires.
 * @see https://docs.anthropic.com/en/api/messages
 */
export function encodeAnthropicRequest(request: InternalRequest): Record<string, unknown> {
  const budget = request.reasoning ? budgetOf(request.reasoning) : undefined;
  const thinkingBudget = budget === undefined ? undefined : Math.max(minimumThinkingBudget, budget);
  let maxTokens = request.maxTokens ?? defaultAnthropicMaxTokens;
  if (thinkingBudget !== undefined && maxTokens <= thinkingBudget) maxTokens = thinkingBudget + maxTokens;
  const messages = request.messages
    .map((message) => ({ role: message.role, content: message.parts.flatMap(encodePart) }))
    .filter((message) => message.content.length > 0);
  return definedFields({
    model: request.model,
    max_tokens: maxTokens,
    system: request.system,
    messages,
    tools:
      request.tools.length > 0
        ? request.tools.map((tool) =>
            definedFields({ name: tool.name, description: tool.description, input_schema: tool.parameters }),
          )
        : undefined,
    tool_choice: request.toolChoice && request.tools.length > 0 ? encodeToolChoice(request.toolChoice) : undefined,
    temperature: thinkingBudget === undefined ? request.temperature : undefined,
    top_p: request.topP,
    top_k: thinkingBudget === undefined ? request.topK : undefined,
    stop_sequences: request.stopSequences.length > 0 ? request.stopSequences : undefined,
    thinking: thinkingBudget === undefined ? undefined : { type: 'enabled', budget_tokens: thinkingBudget },
    output_config: encodeAnthropicResponseFormat(request.responseFormat),
    stream: request.stream ? true : undefined,
  });
}

function encodePart(part: MessagePart): Record<string, unknown>[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ type: 'text', text: part.text }];
    case 'image':
      return [
        {
          type: 'image',
          source:
            part.source === 'url'
              ? { type: 'url', url: part.url }
              : { type: 'base64', media_type: part.mediaType, data: part.data },
        },
      ];
    case 'tool-call':
      return [{ type: 'tool_use', id: part.id, name: part.name, input: argumentsObject(part.arguments) }];
    case 'tool-result':
      return [
        definedFields({
          type: 'tool_result',
          tool_use_id: part.callId,
          content: part.content,
          is_error: part.isError ? true : undefined,
        }),
      ];
    case 'reasoning':
      return part.signature === undefined ? [] : [{ type: 'thinking', thinking: part.text, signature: part.signature }];
  }
}

function encodeToolChoice(choice: ToolChoice): Record<string, unknown> {
  switch (choice.type) {
    case 'required':
      return { type: 'any' };
    case 'tool':
      return { type: 'tool', name: choice.name };
    default:
      return { type: choice.type };
  }
}
