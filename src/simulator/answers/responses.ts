import { sse, type SimulatedUsage } from './content.js';

function responseObject(model: string, status: string, text: string | undefined, usage: SimulatedUsage | undefined): Record<string, unknown> {
  return {
    id: 'resp_sim01',
    object: 'response',
    created_at: 1_795_000_000,
    status,
    model,
    output: text === undefined ? [] : [messageItem(text, 'completed')],
    usage: usage
      ? {
          input_tokens: usage.input,
          output_tokens: usage.output,
          total_tokens: usage.input + usage.output,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens_details: { reasoning_tokens: 0 },
        }
      : null,
    error: null,
    incomplete_details: null,
    instructions: null,
    metadata: {},
    parallel_tool_calls: true,
    temperature: 1,
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
  };
}

function messageItem(text: string, status: string): Record<string, unknown> {
  return { type: 'message', id: 'msg_sim01', status, role: 'assistant', content: text === '' && status !== 'completed' ? [] : [{ type: 'output_text', text, annotations: [] }] };
}

/** @see https://platform.openai.com/docs/api-reference/responses/object */
export function response(model: string, words: string[], usage: SimulatedUsage): unknown {
  return responseObject(model, 'completed', words.join(''), usage);
}

/** @see https://platform.openai.com/docs/api-reference/responses-streaming */
export function responseStream(model: string, words: string[], usage: SimulatedUsage): string[] {
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>) => sse(type, { type, sequence_number: sequence++, ...fields });
  const text = words.join('');
  const events = [
    event('response.created', { response: responseObject(model, 'in_progress', undefined, undefined) }),
    event('response.in_progress', { response: responseObject(model, 'in_progress', undefined, undefined) }),
    event('response.output_item.added', { output_index: 0, item: { type: 'message', id: 'msg_sim01', status: 'in_progress', role: 'assistant', content: [] } }),
    event('response.content_part.added', { item_id: 'msg_sim01', output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }),
  ];
  for (const word of words) events.push(event('response.output_text.delta', { item_id: 'msg_sim01', output_index: 0, content_index: 0, delta: word, logprobs: [] }));
  events.push(
    event('response.output_text.done', { item_id: 'msg_sim01', output_index: 0, content_index: 0, text, logprobs: [] }),
    event('response.content_part.done', { item_id: 'msg_sim01', output_index: 0, content_index: 0, part: { type: 'output_text', text, annotations: [] } }),
    event('response.output_item.done', { output_index: 0, item: messageItem(text, 'completed') }),
    event('response.completed', { response: responseObject(model, 'completed', text, usage) }),
  );
  return events;
}
