import { definedFields } from '../../core/json.js';
import { imageUrl } from '../data-url.js';
import type { InternalRequest, ToolChoice } from '../internal.js';
import { effortOf } from '../reasoning-budget.js';
import { encodeResponsesFormat } from './response-format.js';

/**
 * An internal request as a Responses body, stateless (`store: false`): the whole history is
 * sent as input items. Stop sequences, top_k and reasoning parts from other providers are
 * dropped (Responses takes none of them back).
 * @see https://platform.openai.com/docs/api-reference/responses/create
 */
export function encodeResponsesRequest(request: InternalRequest): Record<string, unknown> {
  const input: Record<string, unknown>[] = [];
  for (const message of request.messages) {
    let content: Record<string, unknown>[] = [];
    const flush = () => {
      if (content.length > 0) input.push({ type: 'message', role: message.role, content });
      content = [];
    };
    for (const part of message.parts) {
      if (part.type === 'text')
        content.push({ type: message.role === 'assistant' ? 'output_text' : 'input_text', text: part.text });
      else if (part.type === 'image') content.push({ type: 'input_image', image_url: imageUrl(part) });
      else if (part.type === 'tool-call') {
        flush();
        input.push({ type: 'function_call', call_id: part.id, name: part.name, arguments: part.arguments });
      } else if (part.type === 'tool-result') {
        flush();
        input.push({ type: 'function_call_output', call_id: part.callId, output: part.content });
      }
    }
    flush();
  }
  const effort = request.reasoning ? effortOf(request.reasoning) : undefined;
  return definedFields({
    model: request.model,
    instructions: request.system,
    input,
    tools:
      request.tools.length > 0
        ? request.tools.map((tool) =>
            definedFields({
              type: 'function',
              name: tool.name,
              description: tool.description,
              parameters: tool.parameters,
            }),
          )
        : undefined,
    tool_choice: request.toolChoice && request.tools.length > 0 ? encodeToolChoice(request.toolChoice) : undefined,
    max_output_tokens: request.maxTokens,
    temperature: request.temperature,
    top_p: request.topP,
    reasoning: effort === undefined ? undefined : { effort },
    text: encodeResponsesFormat(request.responseFormat),
    store: false,
    stream: request.stream ? true : undefined,
  });
}

function encodeToolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', name: choice.name } : choice.type;
}
