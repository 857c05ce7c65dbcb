import { describe, expect, it } from 'vitest';
import { parseEvents } from './server-sent-events.js';
import { translateErrorAnswer } from './translate-exchange.js';
import { createStreamTranslator } from './translate-stream.js';

describe("errors in the client's format", () => {
  it("rewrites a provider's refusal with its status, message and code", () => {
    const gemini = JSON.stringify({
      error: { code: 400, message: 'Request contains an invalid argument.', status: 'INVALID_ARGUMENT' },
    });
    expect(JSON.parse(translateErrorAnswer('gemini', 'anthropic-messages', 400, gemini))).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'Request contains an invalid argument.',
        code: 'INVALID_ARGUMENT',
      },
    });
    const anthropic = JSON.stringify({
      type: 'error',
      error: { type: 'not_found_error', message: 'model: claude-nope' },
    });
    expect(JSON.parse(translateErrorAnswer('anthropic-messages', 'openai-chat', 404, anthropic))).toEqual({
      error: { message: 'model: claude-nope', type: 'not_found_error', param: null, code: 'not_found_error' },
    });
    expect(JSON.parse(translateErrorAnswer('openai-chat', 'gemini', 413, 'Request Entity Too Large'))).toMatchObject({
      error: { code: 413, message: 'Request Entity Too Large', status: 'INVALID_ARGUMENT' },
    });
  });

  it('rewrites an error event inside a stream, with the status its code stands for', () => {
    const translator = createStreamTranslator('anthropic-messages', 'openai-chat', 0);
    const text =
      translator.push(
        Buffer.from(
          'event: message_start\ndata: ' +
            '{"type":"message_start","message":{"id":"msg_1","model":"claude-sonnet-4-6","usage":{"input_tokens":3}}}\n\n',
        ),
      ) +
      translator.push(
        Buffer.from(
          'event: content_block_start\ndata: ' +
            '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
        ),
      ) +
      translator.push(
        Buffer.from(
          'event: content_block_delta\ndata: ' +
            '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}\n\n',
        ),
      ) +
      translator.push(
        Buffer.from(
          'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
        ),
      ) +
      translator.end();
    const events = parseEvents(text).map((event) => JSON.parse(event.data) as unknown);
    expect(events.at(-1)).toEqual({
      error: { message: 'Overloaded', type: 'server_error', param: null, code: 'overloaded_error' },
    });
    expect(events).toHaveLength(3);
  });

  it('ends a stream that stopped before its last event with an error, not a made-up finish', () => {
    const translator = createStreamTranslator('openai-responses', 'anthropic-messages', 0);
    const text =
      translator.push(
        Buffer.from(
          'event: response.created\ndata: {"type":"response.created","response":{"id":"resp_1","model":"gpt-5"}}\n\n',
        ),
      ) +
      translator.push(
        Buffer.from('event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"Hel'),
      ) +
      translator.end();
    const events = parseEvents(text);
    expect(events.map((event) => event.event)).toEqual(['message_start', 'error']);
    expect(JSON.parse(events[1]?.data ?? '')).toEqual({
      type: 'error',
      error: {
        type: 'api_error',
        message: 'The upstream stream ended before its last event; the answer is incomplete.',
        code: 'upstream_stream_incomplete',
      },
    });
  });
});
