import type { AnswerContext, FailureKind, FormatAnswers, RateLimitDetails, StreamFrames, ToolCall } from './format.js';

/**
 * Anthropic Messages answers.
 * @see https://docs.anthropic.com/en/api/messages
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */

const errorTypes: Record<FailureKind, string> = {
  'invalid-request': 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  'not-found': 'not_found_error',
  payment: 'billing_error',
  server: 'api_error',
  overloaded: 'overloaded_error',
};

/** The input counts as Messages reports them: `input_tokens` leaves out what the cache wrote or read. */
function inputCounts(context: AnswerContext): Record<string, number> {
  const write = Math.min(context.promptCache?.write ?? 0, context.inputTokens);
  const read = Math.min(context.promptCache?.read ?? 0, context.inputTokens);
  return {
    input_tokens: context.inputTokens - write - read,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
  };
}

function usage(context: AnswerContext, outputTokens: number): Record<string, unknown> {
  const counts = inputCounts(context);
  return {
    ...counts,
    cache_creation: { ephemeral_5m_input_tokens: counts.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function finalContent(context: AnswerContext): Record<string, unknown> {
  const call = context.toolCall;
  if (call)
    return {
      type: 'tool_use',
      id: `toolu_${call.id}`,
      name: call.name,
      input: JSON.parse(call.argumentsJson) as unknown,
    };
  return { type: 'text', text: context.answer.text };
}

function message(context: AnswerContext, done: boolean): Record<string, unknown> {
  return {
    id: `msg_${context.id}`,
    type: 'message',
    role: 'assistant',
    model: context.model,
    content: done ? [finalContent(context)] : [],
    stop_reason: done ? (context.toolCall ? 'tool_use' : 'end_turn') : null,
    stop_sequence: null,
    usage: usage(context, done ? context.answer.words : 1),
  };
}

function frame(type: string, data: string): string {
  return `event: ${type}\ndata: ${data}\n\n`;
}

function errorBody(type: string, message: string): Record<string, unknown> {
  return { type: 'error', error: { type, message } };
}

/** A tool_use block whose input arrives as input_json_delta pieces. */
function toolCallStream(context: AnswerContext, call: ToolCall): StreamFrames {
  const head = [
    frame('message_start', JSON.stringify({ type: 'message_start', message: message(context, false) })),
    frame(
      'content_block_start',
      JSON.stringify({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: `toolu_${call.id}`, name: call.name, input: {} },
      }),
    ),
  ];
  const deltas = call.pieces.map((piece) =>
    frame(
      'content_block_delta',
      JSON.stringify({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: piece },
      }),
    ),
  );
  const tail = [
    frame('content_block_stop', '{"type":"content_block_stop","index":0}'),
    frame(
      'message_delta',
      JSON.stringify({
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { ...inputCounts(context), output_tokens: context.answer.words },
      }),
    ),
    frame('message_stop', '{"type":"message_stop"}'),
  ];
  return { head, deltas, tail };
}

export const anthropicAnswers: FormatAnswers = {
  format: 'anthropic',

  json: (context) => message(context, true),

  stream(context): StreamFrames {
    if (context.toolCall) return toolCallStream(context, context.toolCall);
    const head = [
      frame('message_start', JSON.stringify({ type: 'message_start', message: message(context, false) })),
      frame(
        'content_block_start',
        '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
      ),
      frame('ping', '{"type":"ping"}'),
    ];
    const deltas = context.answer.pieces.map((piece) =>
      frame(
        'content_block_delta',
        `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(piece)}}}`,
      ),
    );
    const tail = [
      frame('content_block_stop', '{"type":"content_block_stop","index":0}'),
      frame(
        'message_delta',
        JSON.stringify({
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { ...inputCounts(context), output_tokens: context.answer.words },
        }),
      ),
      frame('message_stop', '{"type":"message_stop"}'),
    ];
    return { head, deltas, tail };
  },

  error: (_status, kind, message) => errorBody(errorTypes[kind], message),

  rateLimitError: (details: RateLimitDetails) =>
    errorBody(
      'rate_limit_error',
      details.quota
        ? "This request would exceed your account's rate limit. Please try again later."
        : 'Number of requests has exceeded your rate limit. Please try again later.',
    ),

  streamError: (errorType) => frame('error', JSON.stringify(errorBody(errorType ?? 'overloaded_error', 'Overloaded'))),
};
