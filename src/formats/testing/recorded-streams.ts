import type { WireFormat } from '../../core/types.js';
import type { Usage } from '../types.js';

/** Internal (tests): answers shaped like each provider's, with the usage they report. */
export interface RecordedAnswer {
  /** A successful stream, as the provider sends it. */
  stream: string;
  streamUsage: Usage;
  /** The same answer without streaming. */
  body: string;
  bodyUsage: Usage;
  /** One output event with its blank line, repeated to make long streams. */
  outputEvent: string;
}

const lines = (...events: string[]) => events.map((event) => `${event}\n\n`).join('');

/** @see https://docs.anthropic.com/en/docs/build-with-claude/streaming#basic-streaming-request */
const anthropicOutput =
  'event: content_block_delta\ndata: ' +
  '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Grüße: ' +
  '\\"usage\\": {\\"x\\":1} 👋"}}';
const anthropic: RecordedAnswer = {
  stream: lines(
    'event: message_start\ndata: ' +
      '{"type":"message_start","message":{"id":"msg_01","type":"message",' +
      '"role":"assistant","content":[],"model":"claude-sonnet-4-5",' +
      '"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,' +
      '"cache_creation_input_tokens":100,"cache_read_input_tokens":1200,' +
      '"output_tokens":1}}}',
    'event: content_block_start\ndata: ' +
      '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
    'event: ping\ndata: {"type": "ping"}',
    anthropicOutput,
    'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}',
    'event: message_delta\ndata: ' +
      '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}',
    'event: message_stop\ndata: {"type":"message_stop"}',
  ),
  streamUsage: {
    inputTokens: 1325,
    outputTokens: 15,
    cachedInputTokens: 1200,
    cacheWriteTokens: 100,
    reasoningTokens: 0,
  },
  body:
    '{"id":"msg_01","type":"message","role":"assistant",' +
    '"model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hi"}],' +
    '"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,' +
    '"cache_creation_input_tokens":0,"cache_read_input_tokens":90,' +
    '"output_tokens":4,"service_tier":"standard"}}',
  bodyUsage: { inputTokens: 100, outputTokens: 4, cachedInputTokens: 90, cacheWriteTokens: 0, reasoningTokens: 0 },
  outputEvent: `${anthropicOutput}\n\n`,
};

/** @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming */
const chatOutput =
  'data: ' +
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,' +
  '"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Grüße ' +
  '👋"},"logprobs":null,"finish_reason":null}],"usage":null}';
const chat: RecordedAnswer = {
  stream: lines(
    'data: ' +
      '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,' +
      '"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant",' +
      '"content":"","refusal":null},"logprobs":null,"finish_reason":null}],' +
      '"usage":null}',
    chatOutput,
    'data: ' +
      '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,' +
      '"model":"gpt-4o","choices":[{"index":0,"delta":{},"logprobs":null,' +
      '"finish_reason":"stop"}],"usage":null}',
    'data: ' +
      '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,' +
      '"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":11,' +
      '"completion_tokens":3,"total_tokens":14,' +
      '"prompt_tokens_details":{"cached_tokens":0},' +
      '"completion_tokens_details":{"reasoning_tokens":0}}}',
    'data: [DONE]',
  ),
  streamUsage: { inputTokens: 11, outputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
  body:
    '{"id":"chatcmpl-1","object":"chat.completion","created":1767225600,' +
    '"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant",' +
    '"content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":7,' +
    '"completion_tokens":2,"total_tokens":9}}',
  bodyUsage: { inputTokens: 7, outputTokens: 2, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
  outputEvent: `${chatOutput}\n\n`,
};

// A tool whose schema has a `usage` object: the response echoes it in every lifecycle event.
const tools =
  '[{"type":"function","name":"report","parameters":{"type":"object",' +
  '"properties":{"usage":{"type":"object"}}},"strict":true}]';
/** @see https://platform.openai.com/docs/api-reference/responses-streaming */
const responsesOutput =
  'event: response.output_text.delta\ndata: ' +
  '{"type":"response.output_text.delta","sequence_number":3,' +
  '"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Grüße ' +
  '👋"}';
const responses: RecordedAnswer = {
  stream: lines(
    `event: response.created\ndata: ` +
      `{"type":"response.created","sequence_number":0,"response":{"id":"resp_1",` +
      `"object":"response","status":"in_progress","model":"gpt-5","output":[],` +
      `"tools":${tools},"usage":null}}`,
    `event: response.in_progress\ndata: ` +
      `{"type":"response.in_progress","sequence_number":1,` +
      `"response":{"id":"resp_1","object":"response","status":"in_progress",` +
      `"model":"gpt-5","output":[],"tools":${tools},"usage":null}}`,
    'event: response.output_item.added\ndata: ' +
      '{"type":"response.output_item.added","sequence_number":2,' +
      '"output_index":0,"item":{"id":"msg_1","type":"message",' +
      '"status":"in_progress","content":[],"role":"assistant"}}',
    responsesOutput,
    `event: response.completed\ndata: ` +
      `{"type":"response.completed","sequence_number":4,` +
      `"response":{"id":"resp_1","object":"response","status":"completed",` +
      `"model":"gpt-5","output":[{"id":"msg_1","type":"message",` +
      `"status":"completed","role":"assistant","content":[{"type":"output_text",` +
      `"text":"Grüße ` +
      `👋","annotations":[]}]}],"tools":${tools},"usage":{"input_tokens":40,` +
      `"input_tokens_details":{"cached_tokens":32},"output_tokens":12,` +
      `"output_tokens_details":{"reasoning_tokens":4},"total_tokens":52}}}`,
  ),
  streamUsage: { inputTokens: 40, outputTokens: 12, cachedInputTokens: 32, cacheWriteTokens: 0, reasoningTokens: 4 },
  body:
    `{"id":"resp_1","object":"response","status":"completed","model":"gpt-5",` +
    `"output":[],"tools":${tools},"usage":{"input_tokens":5,` +
    `"input_tokens_details":{"cached_tokens":0},"output_tokens":6,` +
    `"output_tokens_details":{"reasoning_tokens":0},"total_tokens":11}}`,
  bodyUsage: { inputTokens: 5, outputTokens: 6, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
  outputEvent: `${responsesOutput}\n\n`,
};

/**
 * Google ends events with CRLF. @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
const geminiChunk = (text: string, candidates: number, extra = '') =>
  `data: ` +
  `{"candidates":[{"content":{"parts":[{"text":${JSON.stringify(text)}}],` +
  `"role":"model"},"index":0${extra}}],` +
  `"usageMetadata":{"promptTokenCount":6,"candidatesTokenCount":${candidates},` +
  `"totalTokenCount":${6 + candidates},"thoughtsTokenCount":12},` +
  `"modelVersion":"gemini-2.5-flash","responseId":"r1"}\r\n\r\n`;
const gemini: RecordedAnswer = {
  stream: geminiChunk('Grüße', 2) + geminiChunk(' 👋', 9, ',"finishReason":"STOP"'),
  streamUsage: { inputTokens: 6, outputTokens: 21, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 12 },
  body:
    '{"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},' +
    '"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":8,' +
    '"candidatesTokenCount":9,"totalTokenCount":17},' +
    '"modelVersion":"gemini-2.5-flash","responseId":"r2"}',
  bodyUsage: { inputTokens: 8, outputTokens: 9, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
  outputEvent: geminiChunk('Grüße', 2),
};

export const recordedAnswers: Record<WireFormat, RecordedAnswer> = {
  'anthropic-messages': anthropic,
  'openai-chat': chat,
  'openai-responses': responses,
  gemini,
};

export const wireFormats: readonly WireFormat[] = ['anthropic-messages', 'openai-chat', 'openai-responses', 'gemini'];
