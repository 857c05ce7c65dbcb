import { sse, type SimulatedUsage } from './content.js';

/** @see https://docs.anthropic.com/en/api/messages */
export function anthropicMessage(model: string, words: string[], usage: SimulatedUsage): unknown {
  return {
    id: 'msg_sim_01',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: words.join('') }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: usage.input, output_tokens: usage.output },
  };
}

/** @see https://docs.anthropic.com/en/api/messages-streaming */
export function anthropicStream(model: string, words: string[], usage: SimulatedUsage): string[] {
  const events = [
    sse('message_start', {
      type: 'message_start',
      message: { id: 'msg_sim_01', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input, output_tokens: 1 } },
    }),
    sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    sse('ping', { type: 'ping' }),
  ];
  for (const word of words) events.push(sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: word } }));
  events.push(
    sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
    sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output } }),
    sse('message_stop', { type: 'message_stop' }),
  );
  return events;
}

export function anthropicError(type: string, message: string): unknown {
  return { type: 'error', error: { type, message } };
}
