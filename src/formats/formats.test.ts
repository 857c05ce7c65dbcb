import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { WireFormat } from '../core/types.js';
import { createStreamUsageTracker, inspectStreamStart, readUsage, renderError, renderExhausted, renderStreamError } from './index.js';

let server: Server | undefined;

/** A server that answers every request with one fixed status, content type and body. */
async function serve(status: number, contentType: string, body: string): Promise<string> {
  server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': contentType });
    response.end(body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const description = { status: 429, message: 'All OAuth buckets exhausted; try later.', code: 'all_buckets_exhausted' };

async function sdkError(format: WireFormat, url: string, stream: boolean): Promise<{ status: number | undefined; message: string }> {
  try {
    if (format === 'anthropic-messages') {
      const client = new Anthropic({ baseURL: url, apiKey: 'k', maxRetries: 0 });
      const request = { model: 'm', max_tokens: 5, messages: [{ role: 'user' as const, content: 'x' }] };
      if (stream) for await (const _event of await client.messages.create({ ...request, stream: true }));
      else await client.messages.create(request);
    } else if (format === 'openai-chat') {
      const client = new OpenAI({ baseURL: url, apiKey: 'k', maxRetries: 0 });
      if (stream) for await (const _chunk of await client.chat.completions.create({ model: 'm', messages: [], stream: true }));
      else await client.chat.completions.create({ model: 'm', messages: [] });
    } else if (format === 'openai-responses') {
      const client = new OpenAI({ baseURL: url, apiKey: 'k', maxRetries: 0 });
      if (stream) for await (const _event of await client.responses.create({ model: 'm', input: 'x', stream: true }));
      else await client.responses.create({ model: 'm', input: 'x' });
    } else {
      const client = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: url } });
      if (stream) for await (const _chunk of await client.models.generateContentStream({ model: 'm', contents: 'x' }));
      else await client.models.generateContent({ model: 'm', contents: 'x' });
    }
  } catch (error) {
    return { status: (error as { status?: number }).status, message: (error as Error).message };
  }
  throw new Error('the SDK accepted an error as a success');
}

describe.each(['anthropic-messages', 'openai-chat', 'openai-responses', 'gemini'] as const)('%s', (format) => {
  it('renders errors that the official SDK raises with the status and message', async () => {
    const url = await serve(429, 'application/json', renderError(format, description));
    const error = await sdkError(format, url, false);
    expect(error.status).toBe(429);
    expect(error.message).toContain('All OAuth buckets exhausted; try later.');
  });

  it('renders stream error events that the official SDK raises instead of ending silently', async () => {
    const url = await serve(200, 'text/event-stream', renderStreamError(format, { status: 502, message: 'The upstream stream broke off.', code: 'upstream_stream_broken' }));
    const error = await sdkError(format, url, true);
    expect(error.message).toContain('The upstream stream broke off.');
  });

  it('sees an error as the first real event, past pings and comments, across split chunks', () => {
    const errorEvent = renderStreamError(format, { status: 500, message: 'boom' });
    const prefix = format === 'anthropic-messages' ? ': comment\n\nevent: ping\ndata: {"type":"ping"}\n\n' : ': comment\n\n';
    const text = prefix + errorEvent;
    expect(inspectStreamStart(format, text.slice(0, prefix.length + 5))).toEqual({ state: 'need-more' });
    expect(inspectStreamStart(format, text).state).toBe('error');
    expect(inspectStreamStart(format, text.replaceAll('\n', '\r\n')).state).toBe('error');
  });
});

describe('stream starts that are fine', () => {
  it.each([
    ['anthropic-messages', 'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":3}}}\n\n'],
    ['openai-chat', 'data: {"id":"x","choices":[{"delta":{"content":"Hi"}}]}\n\n'],
    ['openai-responses', 'event: response.created\ndata: {"type":"response.created","response":{}}\n\n'],
    ['gemini', 'data: {"candidates":[{"content":{"parts":[{"text":"Hi"}]}}]}\r\n\r\n'],
  ] as const)('%s', (format, text) => expect(inspectStreamStart(format, text)).toEqual({ state: 'ok' }));
});

describe('usage', () => {
  it('reads usage from complete bodies', () => {
    expect(readUsage('anthropic-messages', '{"usage":{"input_tokens":10,"output_tokens":4}}')).toEqual({ inputTokens: 10, outputTokens: 4 });
    expect(readUsage('openai-chat', '{"usage":{"prompt_tokens":7,"completion_tokens":2}}')).toEqual({ inputTokens: 7, outputTokens: 2 });
    expect(readUsage('openai-responses', '{"usage":{"input_tokens":5,"output_tokens":6}}')).toEqual({ inputTokens: 5, outputTokens: 6 });
    expect(readUsage('gemini', '{"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":9}}')).toEqual({ inputTokens: 8, outputTokens: 9 });
    expect(readUsage('gemini', 'not json')).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  const streams: [WireFormat, string, { inputTokens: number; outputTokens: number }][] = [
    [
      'anthropic-messages',
      'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":25,"output_tokens":1}}}\n\n' +
        'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"text_delta","text":"héllo \\"usage\\""}}\n\n' +
        'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}\n\n',
      { inputTokens: 25, outputTokens: 15 },
    ],
    ['openai-chat', 'data: {"choices":[{"delta":{"content":"a"}}]}\n\ndata: {"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":3}}\n\ndata: [DONE]\n\n', { inputTokens: 11, outputTokens: 3 }],
    ['openai-responses', 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"x"}\n\nevent: response.completed\ndata: {"type":"response.completed","response":{"usage":{"input_tokens":4,"output_tokens":2}}}\n\n', { inputTokens: 4, outputTokens: 2 }],
    ['gemini', 'data: {"candidates":[],"usageMetadata":{"promptTokenCount":6}}\r\n\r\ndata: {"candidates":[],"usageMetadata":{"promptTokenCount":6,"candidatesTokenCount":12}}\r\n\r\n', { inputTokens: 6, outputTokens: 12 }],
  ];

  it.each(streams)('tracks %s stream usage whatever the chunk boundaries', (format, text, expected) => {
    const bytes = Buffer.from(text);
    for (const size of [1, 3, 7, 64, bytes.length]) {
      const tracker = createStreamUsageTracker(format);
      for (let offset = 0; offset < bytes.length; offset += size) tracker.push(bytes.subarray(offset, offset + size));
      expect(tracker.result()).toEqual(expected);
    }
  });
});

describe('renderExhausted', () => {
  const now = Date.parse('2026-11-23T10:00:00.000Z');

  it('answers 429 with Retry-After to the earliest reset and lists every bucket', () => {
    const answer = renderExhausted(
      'anthropic-messages',
      [
        { key: 'anthropic/a', state: 'exhausted', availableAt: now + 3_600_000 },
        { key: 'anthropic/b', state: 'cooling', availableAt: now + 90_500 },
        { key: 'anthropic/c', state: 'needs-login', availableAt: undefined },
      ],
      now,
    );
    expect(answer.status).toBe(429);
    expect(answer.retryAfterSeconds).toBe(91);
    const body = JSON.parse(answer.body);
    expect(body.error.message).toBe('All OAuth buckets exhausted; the first one resets at 2026-11-23T10:01:30.500Z (in 91 s).');
    expect(body.error.buckets).toEqual([
      { bucket: 'anthropic/a', state: 'exhausted', available_at: '2026-11-23T11:00:00.000Z' },
      { bucket: 'anthropic/b', state: 'cooling', available_at: '2026-11-23T10:01:30.500Z' },
      { bucket: 'anthropic/c', state: 'needs-login', available_at: null },
    ]);
  });

  it('says how to fix it when no bucket resets by itself', () => {
    const answer = renderExhausted('openai-chat', [{ key: 'openai/a', state: 'needs-login', availableAt: undefined }], now);
    expect(answer.retryAfterSeconds).toBeUndefined();
    expect(JSON.parse(answer.body).error.message).toMatch(/^All OAuth buckets exhausted, and none resets by itself: openai\/a needs a new login/);
  });
});
