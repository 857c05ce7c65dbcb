import { afterEach, describe, expect, it } from 'vitest';
import { renderStreamError } from './index.js';
import { type AnswerServer, startAnswerServer } from './testing/answer-server.js';
import { recordedAnswers, wireFormats } from './testing/recorded-streams.js';
import { callWithSdk } from './testing/sdk-calls.js';

let server: AnswerServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const broken = {
  status: 502,
  message: 'The upstream stream broke off after it had started; the answer is incomplete.',
  code: 'upstream_stream_broken',
};

describe.each(wireFormats)('renderStreamError for %s', (format) => {
  it('is raised by the SDK stream iterator when it is the only event', async () => {
    server = await startAnswerServer(200, 'text/event-stream', renderStreamError(format, broken));
    const raised = await callWithSdk(format, server.url, true);
    expect(raised.message).toContain(broken.message);
    expect(raised.itemsBefore).toBe(0);
  });

  it('is raised by the SDK stream iterator after output already reached the caller', async () => {
    const recorded = recordedAnswers[format];
    const started = recorded.stream.slice(
      0,
      recorded.stream.indexOf(recorded.outputEvent) + recorded.outputEvent.length,
    );
    server = await startAnswerServer(
      200,
      'text/event-stream',
      started + renderStreamError(format, { status: 529, message: 'Overloaded, try again.' }),
    );
    const raised = await callWithSdk(format, server.url, true);
    expect(raised.message).toContain('Overloaded, try again.');
    expect(raised.itemsBefore).toBeGreaterThan(0);
  });
});

describe('stream error events as each provider shapes them', () => {
  it('Anthropic: event: error with the error body', () => {
    expect(renderStreamError('anthropic-messages', broken)).toBe(
      `event: error\ndata: ` +
        `{"type":"error","error":{"type":"api_error","message":"${broken.message}","code":"upstream_stream_broken"}}\n\n`,
    );
  });

  it('Chat: a data chunk holding error', () => {
    expect(renderStreamError('openai-chat', broken)).toBe(
      `data: ` +
        `{"error":{"message":"${broken.message}","type":"server_error","param":null,"code":"upstream_stream_broken"}}\n\n`,
    );
  });

  it('Responses: an error event with code, message, param and sequence_number, the error object nested for the SDK', () => {
    const text = renderStreamError('openai-responses', { status: 429, message: 'slow down' });
    expect(text.startsWith('event: error\ndata: ')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(true);
    expect(JSON.parse(text.slice('event: error\ndata: '.length))).toEqual({
      type: 'error',
      code: 'rate_limit_exceeded',
      message: 'slow down',
      param: null,
      sequence_number: 0,
      error: { message: 'slow down', type: 'rate_limit_exceeded', param: null, code: null },
    });
  });

  it('Gemini: a data chunk holding error with its HTTP code', () => {
    const text = renderStreamError('gemini', { status: 503, message: 'gone' });
    expect(JSON.parse(text.slice('data: '.length))).toEqual({
      error: { code: 503, message: 'gone', status: 'UNAVAILABLE', details: [] },
    });
  });
});
