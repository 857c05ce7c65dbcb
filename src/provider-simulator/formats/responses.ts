import type { AnswerContext, FormatAnswers, StreamFrames, ToolCall } from './format.js';
import { openAiError, openAiRateLimitError } from './openai-errors.js';

/**
 * OpenAI Responses answers (the Codex backend streams the same events).
 * @see https://platform.openai.com/docs/api-reference/responses/object
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 */

function outputText(text: string): Record<string, unknown> {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

function messageItem(context: AnswerContext, done: boolean): Record<string, unknown> {
  return {
    id: `msg_${context.id}`,
    type: 'message',
    status: done ? 'completed' : 'in_progress',
    role: 'assistant',
    content: done ? [outputText(context.answer.text)] : [],
  };
}

function functionCallItem(call: ToolCall, done: boolean): Record<string, unknown> {
  return {
    id: `fc_${call.id}`,
    type: 'function_call',
    status: done ? 'completed' : 'in_progress',
    arguments: done ? call.argumentsJson : '',
    call_id: `call_${call.id}`,
    name: call.name,
  };
}

function response(context: AnswerContext, done: boolean): Record<string, unknown> {
  return {
    id: `resp_${context.id}`,
    object: 'response',
    created_at: context.createdSeconds,
    status: done ? 'completed' : 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: context.model,
    output: done ? [context.toolCall ? functionCallItem(context.toolCall, true) : messageItem(context, true)] : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: false,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: done
      ? {
          input_tokens: context.inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: context.answer.words,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: context.inputTokens + context.answer.words,
        }
      : null,
    user: null,
    metadata: {},
  };
}

export const responsesAnswers: FormatAnswers = {
  format: 'responses',

  json: (context) => response(context, true),

  stream(context): StreamFrames {
    let sequence = 0;
    const event = (type: string, fields: Record<string, unknown>): string =>
      `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;
    const call = context.toolCall;
    if (call) {
      const where = { item_id: `fc_${call.id}`, output_index: 0 };
      return {
        head: [
          event('response.created', { response: response(context, false) }),
          event('response.in_progress', { response: response(context, false) }),
          event('response.output_item.added', { output_index: 0, item: functionCallItem(call, false) }),
        ],
        deltas: call.pieces.map((piece) => event('response.function_call_arguments.delta', { ...where, delta: piece })),
        tail: [
          event('response.function_call_arguments.done', { ...where, arguments: call.argumentsJson }),
          event('response.output_item.done', { output_index: 0, item: functionCallItem(call, true) }),
          event('response.completed', { response: response(context, true) }),
        ],
      };
    }
    const itemId = JSON.stringify(`msg_${context.id}`);
    const where = { item_id: `msg_${context.id}`, output_index: 0, content_index: 0 };
    const head = [
      event('response.created', { response: response(context, false) }),
      event('response.in_progress', { response: response(context, false) }),
      event('response.output_item.added', { output_index: 0, item: messageItem(context, false) }),
      event('response.content_part.added', { ...where, part: outputText('') }),
    ];
    const deltas = context.answer.pieces.map(
      (piece) =>
        'event: response.output_text.delta\ndata: {"type":"response.output_text.delta",' +
        `"sequence_number":${sequence++},"item_id":${itemId},"output_index":0,"content_index":0,` +
        `"delta":${JSON.stringify(piece)},"logprobs":[]}\n\n`,
    );
    const tail = [
      event('response.output_text.done', { ...where, text: context.answer.text, logprobs: [] }),
      event('response.content_part.done', { ...where, part: outputText(context.answer.text) }),
      event('response.output_item.done', { output_index: 0, item: messageItem(context, true) }),
      event('response.completed', { response: response(context, true) }),
    ];
    return { head, deltas, tail };
  },

  error: (_status, kind, message) => openAiError(kind, message),

  rateLimitError: openAiRateLimitError,

  streamError: (errorType) =>
    `event: error\ndata: ${JSON.stringify({
      type: 'error',
      code: errorType ?? 'server_error',
      message: 'The server had an error while processing your request. Sorry about that!',
      param: null,
      sequence_number: 0,
    })}\n\n`,
};
