import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WireFormat } from '../core/types.js';
import { inspectStreamStart, renderStreamError, type StreamStart } from './index.js';
import { recordedAnswers } from './testing/recorded-streams.js';

/** The state after each prefix of `text`: need-more before `readyAt` characters, `final` from there on. */
function expectEveryPrefix(format: WireFormat, text: string, readyAt: number, final: StreamStart['state']): void {
  for (let length = 0; length <= text.length; length++) {
    const state = inspectStreamStart(format, text.slice(0, length)).state;
    if (state !== (length >= readyAt ? final : 'need-more')) {
      throw new Error(
        `after ${length} of ${text.length} characters: ${state}, expected ${length >= readyAt ? final : 'need-more'}`,
      );
    }
  }
}

/** Index just past `event` in `text`. */
const endOf = (text: string, event: string) => text.indexOf(event) + event.length;

const withCrlf = (text: string) => text.replaceAll('\r\n', '\n').replaceAll('\n', '\r\n');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('inspectStreamStart on successful streams', () => {
  it('does not parse the named envelopes it passes over (Responses echo instructions and tools in them)', () => {
    const parse = vi.spyOn(JSON, 'parse');
    expect(inspectStreamStart('openai-responses', recordedAnswers['openai-responses'].stream)).toEqual({ state: 'ok' });
    expect(inspectStreamStart('anthropic-messages', recordedAnswers['anthropic-messages'].stream)).toEqual({
      state: 'ok',
    });
    // One parse each, for the first real event.
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('Anthropic: passes over message_start and pings; the first content event is the start', () => {
    const stream = recordedAnswers['anthropic-messages'].stream;
    const contentBlockStart =
      'event: content_block_start\ndata: ' +
      '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n';
    expectEveryPrefix('anthropic-messages', stream, endOf(stream, contentBlockStart), 'ok');
    const pingsFirst = `: keep-alive\n\nevent: ping\ndata: {"type": "ping"}\n\n\n${stream}`;
    expectEveryPrefix('anthropic-messages', pingsFirst, endOf(pingsFirst, contentBlockStart), 'ok');
  });

  it('Chat: passes over the opening role chunk; the first output chunk is the start', () => {
    const { stream, outputEvent } = recordedAnswers['openai-chat'];
    expectEveryPrefix('openai-chat', stream, endOf(stream, outputEvent), 'ok');
    expect(
      inspectStreamStart('openai-chat', 'data: {"choices":[],"prompt_filter_results":[]}\n\ndata: [DONE]\n\n'),
    ).toEqual({ state: 'ok' });
  });

  it('Responses: passes over codex metadata and the lifecycle envelope; the first output item is the start', () => {
    const { stream } = recordedAnswers['openai-responses'];
    const codexStream = `event: codex.rate_limits\ndata: {"type":"codex.rate_limits","rate_limits":{"allowed":true}}\n\n${stream}`;
    const itemAdded = 'event: response.output_item.added\n';
    expectEveryPrefix(
      'openai-responses',
      codexStream,
      codexStream.indexOf('\n\n', codexStream.indexOf(itemAdded)) + 2,
      'ok',
    );
  });

  it('Gemini: the first chunk is the start, with CRLF event ends', () => {
    const { stream, outputEvent } = recordedAnswers.gemini;
    expectEveryPrefix('gemini', stream, endOf(stream, outputEvent), 'ok');
  });

  it('reads LF streams sent with CRLF and a leading byte-order mark alike', () => {
    const stream = withCrlf(recordedAnswers['anthropic-messages'].stream);
    expect(inspectStreamStart('anthropic-messages', `\uFEFF${stream}`)).toEqual({ state: 'ok' });
    expect(
      inspectStreamStart('anthropic-messages', stream.slice(0, stream.indexOf('event: content_block_start'))),
    ).toEqual({ state: 'need-more' });
  });
});

describe('inspectStreamStart on streams that open with an error', () => {
  const cases: [WireFormat, string, string, unknown][] = [
    [
      'anthropic-messages',
      ': comment\n\nevent: ping\ndata: {"type":"ping"}\n\n' +
        recordedAnswers['anthropic-messages'].stream.split('\n\n')[0] +
        '\n\n',
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    ],
    [
      'openai-chat',
      `${recordedAnswers['openai-chat'].stream.split('\n\n')[0]}\n\n`,
      'data: {"error":{"message":"Rate limit ' +
        'reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}\n\n',
      { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
    ],
    [
      'openai-responses',
      'event: codex.rate_limits\ndata: {"type":"codex.rate_limits"}\n\n' +
        recordedAnswers['openai-responses'].stream.split('\n\n').slice(0, 2).join('\n\n') +
        '\n\n',
      'event: response.failed\ndata: ' +
        '{"type":"response.failed","sequence_number":2,"response":{"id":"resp_1","status":"failed","error":{"code":"rate_limit_exceeded","message":"Please ' +
        'try again in 11.054s."},"usage":null}}\n\n',
      {
        type: 'response.failed',
        sequence_number: 2,
        response: {
          id: 'resp_1',
          status: 'failed',
          error: { code: 'rate_limit_exceeded', message: 'Please try again in 11.054s.' },
          usage: null,
        },
      },
    ],
    [
      'openai-responses',
      'event: response.created\ndata: {"type":"response.created","response":{}}\n\n',
      'event: error\ndata: ' +
        '{"type":"error","code":"server_error","message":"boom","param":null,"sequence_number":1}\n\n',
      { type: 'error', code: 'server_error', message: 'boom', param: null, sequence_number: 1 },
    ],
    [
      'gemini',
      ': keep-alive\r\n\r\n',
      'data: {"error":{"code":429,"message":"Resource exhausted.","status":"RESOURCE_EXHAUSTED"}}\r\n\r\n',
      { error: { code: 429, message: 'Resource exhausted.', status: 'RESOURCE_EXHAUSTED' } },
    ],
  ];

  it.each(cases)(
    '%s: need-more until the error event is complete, then the parsed error',
    (format, prefix, errorEvent, parsed) => {
      const text = prefix + errorEvent;
      expectEveryPrefix(format, text, text.length, 'error');
      expect(inspectStreamStart(format, text)).toEqual({ state: 'error', error: parsed });
      expect(inspectStreamStart(format, withCrlf(text))).toEqual({ state: 'error', error: parsed });
    },
  );

  it.each(['anthropic-messages', 'openai-chat', 'openai-responses', 'gemini'] as const)(
    '%s: recognises its own rendered stream error',
    (format) => {
      expect(inspectStreamStart(format, renderStreamError(format, { status: 500, message: 'boom' })).state).toBe(
        'error',
      );
    },
  );

  it('gives the data text when an error event is not JSON', () => {
    expect(inspectStreamStart('anthropic-messages', 'event: error\ndata: Overloaded\n\n')).toEqual({
      state: 'error',
      error: 'Overloaded',
    });
  });

  it('takes a first real event whose JSON does not parse for a failed start, once per event parsed', () => {
    const broken =
      'event: message_start\ndata: {"type":"message_start"}\n\nevent: ' +
      'content_block_delta\ndata: ' +
      '{"type":"content_block_delta","delta":{"text":"Hel\n\n';
    expect(inspectStreamStart('anthropic-messages', broken)).toEqual({
      state: 'error',
      error: '{"type":"content_block_delta","delta":{"text":"Hel',
    });
    expect(inspectStreamStart('openai-chat', 'data: not json at all\n\n')).toEqual({
      state: 'error',
      error: 'not json at all',
    });
    expect(inspectStreamStart('gemini', 'data: [1, 2\n\n')).toEqual({ state: 'error', error: '[1, 2' });
    expect(inspectStreamStart('openai-chat', 'data: [DONE]\n\n')).toEqual({ state: 'ok' });
  });

  it('does not take an error after the first real event for a failed start', () => {
    const { stream, outputEvent } = recordedAnswers['openai-chat'];
    const text = `${stream.slice(0, endOf(stream, outputEvent))}data: {"error":{"message":"late"}}\n\n`;
    expect(inspectStreamStart('openai-chat', text)).toEqual({ state: 'ok' });
  });
});
