import { sse, type SimulatedUsage } from './content.js';

const created = 1_795_000_000;

/** @see https://platform.openai.com/docs/api-reference/chat/object */
export function chatCompletion(model: string, words: string[], usage: SimulatedUsage): unknown {
  return {
    id: 'chatcmpl-sim01',
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: words.join(''), refusal: null }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
  };
}

/** @see https://platform.openai.com/docs/api-reference/chat/streaming */
export function chatStream(model: string, words: string[], usage: SimulatedUsage, includeUsage: boolean): string[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    id: 'chatcmpl-sim01',
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
  const events = [sse(undefined, chunk({ role: 'assistant', content: '' }, null))];
  for (const word of words) events.push(sse(undefined, chunk({ content: word }, null)));
  events.push(sse(undefined, chunk({}, 'stop')));
  if (includeUsage) {
    events.push(
      sse(undefined, {
        id: 'chatcmpl-sim01',
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [],
        usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
      }),
    );
  }
  events.push('data: [DONE]\n\n');
  return events;
}

export function openaiError(message: string, type: string, code: string | null): unknown {
  return { error: { message, type, param: null, code } };
}
