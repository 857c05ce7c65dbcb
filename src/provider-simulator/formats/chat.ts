import type { AnswerContext, FormatAnswers, StreamFrames } from './format.js';
import { openAiError, openAiRateLimitError } from './openai-errors.js';

/**
 * OpenAI Chat Completions answers (Qwen speaks the same).
 * @see https://platform.openai.com/docs/api-reference/chat/object
 * @see https://platform.openai.com/docs/api-reference/chat/streaming
 */

function usage(context: AnswerContext): Record<string, unknown> {
  return {
    prompt_tokens: context.inputTokens,
    completion_tokens: context.answer.words,
    total_tokens: context.inputTokens + context.answer.words,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function frame(data: string): string {
  return `data: ${data}\n\n`;
}

export const chatAnswers: FormatAnswers = {
  format: 'chat',

  json: (context) => ({
    id: `chatcmpl-${context.id}`,
    object: 'chat.completion',
    created: context.createdSeconds,
    model: context.model,
    choices: [
      {
        index: 0,
        message: context.toolCall
          ? {
              role: 'assistant',
              content: null,
              refusal: null,
              annotations: [],
              tool_calls: [
                {
                  id: `call_${context.toolCall.id}`,
                  type: 'function',
                  function: { name: context.toolCall.name, arguments: context.toolCall.argumentsJson },
                },
              ],
            }
          : { role: 'assistant', content: context.answer.text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: context.toolCall ? 'tool_calls' : 'stop',
      },
    ],
    usage: usage(context),
    service_tier: 'default',
    system_fingerprint: null,
  }),

  stream(context): StreamFrames {
    // Every chunk repeats the same envelope; build its JSON prefix once.
    const usageField = context.includeUsage ? ',"usage":null' : '';
    const envelope =
      `{"id":${JSON.stringify(`chatcmpl-${context.id}`)},"object":"chat.completion.chunk",` +
      `"created":${context.createdSeconds},"model":${JSON.stringify(context.model)},` +
      `"service_tier":"default","system_fingerprint":null`;
    const choice = (delta: string, finish: string): string =>
      frame(
        `${envelope},"choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]${usageField}}`,
      );
    const call = context.toolCall;
    const head = call
      ? [
          choice(
            JSON.stringify({
              role: 'assistant',
              content: null,
              tool_calls: [
                { index: 0, id: `call_${call.id}`, type: 'function', function: { name: call.name, arguments: '' } },
              ],
              refusal: null,
            }),
            'null',
          ),
        ]
      : [choice('{"role":"assistant","content":"","refusal":null}', 'null')];
    const deltas = call
      ? call.pieces.map((piece) =>
          choice(JSON.stringify({ tool_calls: [{ index: 0, function: { arguments: piece } }] }), 'null'),
        )
      : context.answer.pieces.map((piece) => choice(`{"content":${JSON.stringify(piece)}}`, 'null'));
    const tail = [choice('{}', call ? '"tool_calls"' : '"stop"')];
    if (context.includeUsage) {
      tail.push(frame(`${envelope},"choices":[],"usage":${JSON.stringify(usage(context))}}`));
    }
    tail.push('data: [DONE]\n\n');
    return { head, deltas, tail };
  },

  error: (_status, kind, message) => openAiError(kind, message),

  rateLimitError: openAiRateLimitError,

  streamError: (errorType) =>
    frame(
      JSON.stringify({
        error: {
          message: 'The server had an error while processing your request. Sorry about that!',
          type: errorType ?? 'server_error',
          param: null,
          code: null,
        },
      }),
    ),
};
