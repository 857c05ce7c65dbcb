import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { describe, expect, it, vi } from 'vitest';
import { postJson, useSimulator } from './testing/use-simulator.js';

const messagesRequest = {
  model: 'claude-sonnet-4-6',
  max_tokens: 64,
  messages: [{ role: 'user' as const, content: 'hi' }],
};
const chatRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };

/** Reads a stream until it ends or breaks, keeping what arrived. */
async function readUntilBroken(response: Response): Promise<{ text: string; broken: boolean }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, broken: false };
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { text, broken: true };
  }
}

describe('scripted steps', () => {
  const simulator = useSimulator();

  function messages(apiKey: string, body: object = messagesRequest) {
    return postJson(`${simulator().url}/v1/messages`, body, { 'x-api-key': apiKey });
  }

  it('consumes scripted steps in order, then falls back to ok', async () => {
    const { apiKey } = simulator().addAccount('hank');
    simulator().script('hank', [
      { kind: 'rate-limit', style: 'retry-after-seconds', resetSeconds: 10 },
      { kind: 'payment' },
    ]);
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) statuses.push((await messages(apiKey)).status);
    expect(statuses).toEqual([429, 402, 200]);
  });

  it('uses a persistent behaviour when the queue is empty, until it is cleared', async () => {
    const { apiKey } = simulator().addAccount('hank');
    simulator().setBehavior('hank', { kind: 'server-error', status: 503 });
    simulator().script('hank', [{ kind: 'ok' }]);
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) statuses.push((await messages(apiKey)).status);
    simulator().setBehavior('hank', undefined);
    statuses.push((await messages(apiKey)).status);
    expect(statuses).toEqual([200, 503, 503, 200]);
  });

  it('refuses to script an account that does not exist', () => {
    expect(() => simulator().script('nobody', [{ kind: 'ok' }])).toThrow(/Unknown simulator account `nobody`/);
  });

  it.each([
    ['/v1/messages', { type: 'error', error: { type: 'billing_error' } }],
    ['/v1/chat/completions', { error: { type: 'insufficient_quota' } }],
    ['/v1beta/models/gemini-2.5-pro:generateContent', { error: { code: 402 } }],
  ])('payment answers 402 on %s in that format', async (path, shape) => {
    const { apiKey } = simulator().addAccount('hank');
    simulator().script('hank', [{ kind: 'payment' }]);
    const answer = await postJson(
      `${simulator().url}${path}`,
      { messages: [], contents: [] },
      {
        'x-api-key': apiKey,
        authorization: `Bearer ${apiKey}`,
        'x-goog-api-key': apiKey,
      },
    );
    expect(answer.status).toBe(402);
    expect(answer.json()).toMatchObject(shape);
  });

  it('unauthorized answers 401 even with a valid token', async () => {
    const { accessToken, accountId } = simulator().addAccount('hank');
    simulator().script('hank', [{ kind: 'unauthorized' }, { kind: 'unauthorized' }]);
    const chat = await postJson(`${simulator().url}/v1/chat/completions`, chatRequest, {
      authorization: `Bearer ${accessToken}`,
    });
    expect(chat.status).toBe(401);
    const codex = await postJson(
      `${simulator().url}/backend-api/codex/responses`,
      { input: 'hi' },
      {
        authorization: `Bearer ${accessToken}`,
        'chatgpt-account-id': accountId,
      },
    );
    expect(codex.status).toBe(401);
    expect(codex.json()).toMatchObject({ error: { code: 'token_invalidated' } });
  });

  it('server-error 529 is an Anthropic overloaded_error', async () => {
    const { apiKey } = simulator().addAccount('hank');
    simulator().script('hank', [{ kind: 'server-error', status: 529 }, { kind: 'server-error' }]);
    const overloaded = await messages(apiKey);
    expect(overloaded.status).toBe(529);
    expect(overloaded.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    const plain = await messages(apiKey);
    expect(plain.status).toBe(500);
    expect(plain.json()).toMatchObject({ error: { type: 'api_error' } });
  });

  it('slow and delayed ok steps still answer 200', async () => {
    const { apiKey } = simulator().addAccount('hank');
    simulator().script('hank', [
      { kind: 'slow', delayMs: 5 },
      { kind: 'ok', delayMs: 5 },
    ]);
    expect((await messages(apiKey)).status).toBe(200);
    expect((await messages(apiKey)).status).toBe(200);
  });

  it('stream-cut sends a 200 stream and destroys the socket after n events', async () => {
    const { apiKey } = simulator().addAccount('hank');
    simulator().script('hank', [{ kind: 'stream-cut', afterEvents: 3 }]);
    const response = await fetch(`${simulator().url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ ...messagesRequest, stream: true }),
    });
    expect(response.status).toBe(200);
    const { text, broken } = await readUntilBroken(response);
    expect(broken).toBe(true);
    expect([...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1])).toEqual([
      'message_start',
      'content_block_start',
      'ping',
    ]);
  });

  it('stream-cut breaks the Anthropic SDK stream', async () => {
    const { apiKey } = simulator().addAccount('hank');
    simulator().script('hank', [{ kind: 'stream-cut', afterEvents: 4 }]);
    const client = new Anthropic({ apiKey, authToken: null, baseURL: simulator().url, maxRetries: 0 });
    await expect(client.messages.stream(messagesRequest).finalMessage()).rejects.toThrow();
  });

  it('stream-cut and stream-error answer 500 when the request does not stream', async () => {
    const { apiKey } = simulator().addAccount('hank');
    simulator().script('hank', [{ kind: 'stream-cut', afterEvents: 2 }, { kind: 'stream-error' }]);
    expect((await messages(apiKey)).status).toBe(500);
    expect((await messages(apiKey)).status).toBe(500);
  });

  it('stream-error: an Anthropic error event first, which the SDK raises', async () => {
    const { apiKey } = simulator().addAccount('hank');
    simulator().script('hank', [{ kind: 'stream-error' }, { kind: 'stream-error' }]);
    const raw = await messages(apiKey, { ...messagesRequest, stream: true });
    expect(raw.status).toBe(200);
    expect(raw.text).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    );
    const client = new Anthropic({ apiKey, authToken: null, baseURL: simulator().url, maxRetries: 0 });
    const failure = await client.messages
      .stream(messagesRequest)
      .finalMessage()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'overloaded_error' },
    });
  });

  it('stream-error: a chat data error chunk, which the OpenAI SDK raises', async () => {
    const { apiKey } = simulator().addAccount('hank');
    simulator().script('hank', [{ kind: 'stream-error', errorType: 'server_error' }]);
    const client = new OpenAI({ apiKey, baseURL: `${simulator().url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({ ...chatRequest, stream: true });
    const consume = async (): Promise<void> => {
      for await (const _chunk of stream) {
        // drain
      }
    };
    await expect(consume()).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('stream-error: a Responses error event with sequence number 0', async () => {
    const { apiKey } = simulator().addAccount('hank');
    simulator().script('hank', [{ kind: 'stream-error' }]);
    const answer = await postJson(
      `${simulator().url}/v1/responses`,
      { input: 'hi', stream: true },
      {
        authorization: `Bearer ${apiKey}`,
      },
    );
    const [eventLine, dataLine] = answer.text.trim().split('\n');
    expect(eventLine).toBe('event: error');
    expect(JSON.parse((dataLine ?? '').slice('data: '.length))).toMatchObject({
      type: 'error',
      code: 'server_error',
      sequence_number: 0,
    });
  });

  it('stream-error: a Gemini error chunk, which the Google SDK raises', async () => {
    const { apiKey } = simulator().addAccount('hank');
    simulator().script('hank', [{ kind: 'stream-error' }, { kind: 'stream-error' }]);
    const answer = await postJson(
      `${simulator().url}/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse`,
      {},
      {
        'x-goog-api-key': apiKey,
      },
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text.replace(/^data: /, ''))).toMatchObject({ error: { code: 500, status: 'INTERNAL' } });
    const client = new GoogleGenAI({ apiKey, httpOptions: { baseUrl: simulator().url } });
    const consume = async (): Promise<void> => {
      for await (const _chunk of await client.models.generateContentStream({
        model: 'gemini-2.5-pro',
        contents: 'hi',
      })) {
        // drain
      }
    };
    await expect(consume()).rejects.toThrow();
  });

  it('holdOpenMs sends the head and first delta, then holds the stream open', async () => {
    const { apiKey } = simulator().addAccount('hank');
    simulator().script('hank', [{ kind: 'ok', holdOpenMs: 60_000 }]);
    const response = await fetch(`${simulator().url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ ...messagesRequest, stream: true }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('content_block_delta')) {
      const { value } = await reader.read();
      text += decoder.decode(value, { stream: true });
    }
    expect(text).not.toContain('message_stop');
    expect(simulator().counts('hank').inFlight).toBe(1);
    // Closing the simulator ends held streams at once (the afterEach close would hang otherwise).
    await simulator().close();
    await vi.waitFor(() => expect(simulator().counts('hank').inFlight).toBe(0), { timeout: 10_000 });
    await reader.cancel().catch(() => undefined);
  });

  it('reset at connect, headers and body: no answer, a 200 head then a reset, half an answer then a reset', async () => {
    const { apiKey } = simulator().addAccount('rita');
    simulator().script('rita', [
      { kind: 'reset', at: 'connect' },
      { kind: 'reset', at: 'headers' },
      { kind: 'reset', at: 'body' },
      { kind: 'reset', at: 'body' },
    ]);
    await expect(messages(apiKey)).rejects.toThrow();
    const afterHead = await fetch(`${simulator().url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey },
      body: JSON.stringify(messagesRequest),
    });
    expect(afterHead.status).toBe(200);
    await expect(afterHead.text()).rejects.toThrow();
    const plain = await fetch(`${simulator().url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey },
      body: JSON.stringify(messagesRequest),
    });
    expect(await readUntilBroken(plain)).toMatchObject({ text: expect.stringMatching(/^\{"id":"msg_/), broken: true });
    const streamed = await fetch(`${simulator().url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey },
      body: JSON.stringify({ ...messagesRequest, stream: true }),
    });
    const cut = await readUntilBroken(streamed);
    expect(cut.broken).toBe(true);
    expect(cut.text).toContain('event: content_block_delta');
    expect(cut.text).not.toContain('message_stop');
    // The simulator cut these itself: none counts as abandoned by its client.
    expect(simulator().counts('rita')).toMatchObject({ requests: 4, aborted: 0 });
  });

  it('stall holds the answer (no head, or half a body) until the client leaves, and counts the abandonment', async () => {
    const { apiKey } = simulator().addAccount('stan');
    simulator().script('stan', [
      { kind: 'stall', at: 'headers' },
      { kind: 'stall', at: 'body' },
    ]);
    const noHead = new AbortController();
    const pending = fetch(`${simulator().url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey },
      body: JSON.stringify(messagesRequest),
      signal: noHead.signal,
    });
    await vi.waitFor(() => expect(simulator().counts('stan').inFlight).toBe(1), { timeout: 10_000 });
    noHead.abort();
    await expect(pending).rejects.toThrow();
    await vi.waitFor(() => expect(simulator().counts('stan')).toMatchObject({ inFlight: 0, aborted: 1 }), {
      timeout: 10_000,
    });
    const halfBody = new AbortController();
    const started = await fetch(`${simulator().url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey },
      body: JSON.stringify({ ...messagesRequest, stream: true }),
      signal: halfBody.signal,
    });
    expect(started.status).toBe(200);
    const reader = (started.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(': waiting\n\n');
    halfBody.abort();
    await vi.waitFor(() => expect(simulator().counts('stan')).toMatchObject({ inFlight: 0, aborted: 2 }), {
      timeout: 10_000,
    });
  });

  it('malformed answers a 200 whose JSON, or whose first stream event, does not parse', async () => {
    const { apiKey } = simulator().addAccount('mal');
    simulator().script('mal', [{ kind: 'malformed' }, { kind: 'malformed' }]);
    const plain = await messages(apiKey);
    expect(plain.status).toBe(200);
    expect(() => plain.json()).toThrow();
    const streamed = await messages(apiKey, { ...messagesRequest, stream: true });
    expect(streamed.text).toBe('data: {"type":"content_block_delta","delta":{"text":"Hel\n\n');
  });

  it('refuses fault steps with an unknown point', async () => {
    const { parseStep } = await import('./parse-step.js');
    expect(() => parseStep({ kind: 'reset', at: 'later' })).toThrow(
      'Expected `at` to be one of connect, headers, body',
    );
    expect(() => parseStep({ kind: 'stall', at: 'connect' })).toThrow('Expected `at` to be one of headers, body');
    expect(parseStep({ kind: 'stall', at: 'body' })).toEqual({ kind: 'stall', at: 'body' });
  });
});
