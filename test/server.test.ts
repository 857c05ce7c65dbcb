import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appListener } from '../src/server/app-listener.js';
import { createHarness, type Harness } from './support/harness.js';
import { errorOf, postRaw, rawRequestOf } from './support/raw-requests.js';

let harness: Harness | undefined;
let capture: Server | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await new Promise<void>((resolve) => (capture ? capture.close(() => resolve()) : resolve()));
  capture = undefined;
});

/** An upstream that records what reached it and answers like Anthropic. */
async function startCapture(): Promise<{
  url: string;
  seen: { path: string; headers: IncomingHttpHeaders; body: string }[];
}> {
  const seen: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  capture = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ path: request.url ?? '', headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        '{"id":"m","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}',
      );
    });
  });
  await new Promise<void>((resolve) => capture!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(capture.address() as AddressInfo).port}`, seen };
}

/** Sends raw request bytes and reads the whole answer (the connection is closed by the request). */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

async function anthropicPool(
  options: { configExtra?: string; buckets?: string[]; profileExtra?: string; environment?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  harness = await createHarness(options.configExtra !== undefined ? { configExtra: options.configExtra } : {});
  const buckets = options.buckets ?? ['a', 'b'];
  for (const bucket of buckets) await harness.addBucket('anthropic', bucket);
  await harness.writeProfile(
    'pool',
    `type: model\nprovider: anthropic\nbuckets: [${buckets.join(', ')}]\n${options.profileExtra ?? ''}`,
  );
  return (
    await harness.startRouter({ profile: 'pool', ...(options.environment ? { environment: options.environment } : {}) })
  ).url;
}

const messages = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');

describe('client keys', () => {
  it("refuses requests without the SWITCHYARD_API_KEY, in the caller's format, and accepts it in any usual header", async () => {
    const url = await anthropicPool({ environment: { SWITCHYARD_API_KEY: 'team-key' } });
    const missing = await postRaw(url, messages.path, JSON.stringify(messages.body));
    expect(missing.status).toBe(401);
    expect(errorOf('anthropic-messages', missing.body).message).toBe(
      'This switchyard requires a client key: send it as "Authorization: Bearer <key>" or "x-api-key".',
    );
    const geminiMissing = await postRaw(url, '/v1beta/models/gemini-2.5-pro:generateContent', '{}');
    expect(geminiMissing.status).toBe(401);
    expect(errorOf('gemini', geminiMissing.body).message).toBe(
      'This switchyard requires a client key: send it as "x-goog-api-key" (or "Authorization: Bearer <key>").',
    );
    const wrong = await postRaw(url, '/v1/chat/completions', '{}', { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(errorOf('openai-chat', wrong.body).message).toBe('The client key is not valid for this switchyard.');
    expect((await postRaw(url, messages.path, JSON.stringify(messages.body), { 'x-api-key': 'team-key' })).status).toBe(
      200,
    );
    expect(
      (await postRaw(url, messages.path, JSON.stringify(messages.body), { authorization: 'Bearer team-key' })).status,
    ).toBe(200);
    expect((await fetch(`${url}/stats/buckets`)).status).toBe(401);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it("never sends the client's credential or switchyard headers upstream, and no header can move the request", async () => {
    const upstream = await startCapture();
    harness = await createHarness();
    await harness.addBucket('anthropic', 'a');
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    const { writePrivateFile } = await import('../src/config/secure-files.js');
    // evil.example is a name this switchyard answers to, so that the test shows it still moves nothing.
    await writePrivateFile(
      harness.paths.config,
      `server:\n  allowedHosts: [evil.example]\nproviders:\n  anthropic:\n    baseUrl: ${upstream.url}\n`,
    );
    const url = (await harness.startRouter({ profile: 'pool', environment: { SWITCHYARD_API_KEY: 'client-secret' } }))
      .url;
    const answer = await postRaw(url, messages.path, JSON.stringify(messages.body), {
      'x-api-key': 'client-secret',
      host: 'evil.example',
      'x-forwarded-host': 'evil.example',
      'x-switchyard-profile': 'pool',
      cookie: 'session=1',
      'anthropic-beta': 'prompt-caching-2024-07-31',
    });
    expect(answer.status).toBe(200);
    expect(upstream.seen).toHaveLength(1);
    const sent = upstream.seen[0]!;
    expect(JSON.stringify(sent.headers)).not.toContain('client-secret');
    expect(sent.headers.cookie).toBeUndefined();
    expect(sent.headers['x-switchyard-profile']).toBeUndefined();
    expect(sent.headers['x-forwarded-host']).toBeUndefined();
    expect(sent.headers.authorization).toMatch(/^Bearer /);
    expect(sent.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31,oauth-2025-04-20');
    expect(JSON.parse(sent.body).system[0].text).toBe("You are Claude Code, Anthropic's official CLI for Claude.");
  });
});

describe('bad input', () => {
  it("answers an oversized body with 413 in the caller's format", async () => {
    const url = await anthropicPool();
    const huge = JSON.stringify({ ...messages.body, padding: 'x'.repeat(33 * 1024 * 1024) });
    const answer = await postRaw(url, messages.path, huge);
    expect(answer.status).toBe(413);
    expect(errorOf('anthropic-messages', answer.body).message).toBe(
      'The request body is larger than the limit of 33554432 bytes.',
    );
  });

  it('answers bodies that are not JSON objects and unknown routes, and translates a request for another format', async () => {
    const url = await anthropicPool();
    const array = await postRaw(url, '/v1/chat/completions', '[1,2]');
    expect(array.status).toBe(400);
    expect(errorOf('openai-chat', array.body).message).toBe('The request body must be a JSON object.');
    const empty = await postRaw(url, '/v1/responses', '');
    expect(errorOf('openai-responses', empty.body).message).toBe('The request body is empty; send a JSON object.');
    const unknownRoute = await postRaw(url, '/v1beta/models/gemini-2.5-pro:embedContent', '{}');
    expect(unknownRoute.status).toBe(404);
    expect(errorOf('gemini', unknownRoute.body).message).toBe(
      'Unsupported Gemini method "embedContent": use generateContent or streamGenerateContent.',
    );
    expect(harness!.simulator.totalRequests()).toBe(0);
    // A chat request to an Anthropic-only profile is translated rather than refused.
    const otherFormat = await postRaw(
      url,
      '/v1/chat/completions',
      JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(otherFormat.status).toBe(200);
    expect(otherFormat.body).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { role: 'assistant' } }],
    });
    expect(harness!.simulator.totalRequests()).toBe(1);
  });
});

describe('routing details', () => {
  it("serves count_tokens and lists the profile's models", async () => {
    const url = await anthropicPool({ profileExtra: 'model: claude-sonnet-4-6\n' });
    const counted = await postRaw(
      url,
      '/v1/messages/count_tokens',
      JSON.stringify({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hello there' }] }),
    );
    expect(counted.status).toBe(200);
    expect(counted.body).toMatchObject({ input_tokens: expect.any(Number) });
    const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((model) => model.id)).toEqual(['claude-sonnet-4-6']);
  });

  it('refreshes an expired login once for 50 concurrent requests', async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'a', { expiresInSeconds: 60 });
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    const url = (await harness.startRouter({ profile: 'pool' })).url;
    harness.clock.advance(61_000);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => postRaw(url, messages.path, JSON.stringify(messages.body))),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
    expect(harness.simulator.counts('anthropic-a')).toMatchObject({ refreshes: 1, invalidGrants: 0 });
  });

  it('holds a per-bucket concurrency limit from the profile', async () => {
    const url = await anthropicPool({ buckets: ['a'], profileExtra: 'limits:\n  maxConcurrent: 2\n' });
    harness!.simulator.setBehavior('anthropic-a', { kind: 'ok', delayMs: 20 });
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => postRaw(url, messages.path, JSON.stringify(messages.body))),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(harness!.simulator.counts('anthropic-a').maxConcurrent).toBe(2);
  });

  it('ends a stream that breaks after its first byte with an error event, and counts it as a failure', async () => {
    const url = await anthropicPool({ buckets: ['a'] });
    harness!.simulator.script('anthropic-a', [{ kind: 'stream-cut', afterEvents: 3 }]);
    const response = await fetch(`${url}${messages.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...messages.body, stream: true }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('event: message_start');
    expect(
      text
        .trimEnd()
        .endsWith(
          '"message":"The upstream stream broke off after it had started; the ' +
            'answer is incomplete.","code":"upstream_stream_broken"}}',
        ),
    ).toBe(true);
    expect(text.match(/event: message_start/g)).toHaveLength(1);
    const statistics = (await (await fetch(`${url}/stats/buckets`)).json()) as {
      buckets: { key: string; successes: number; otherErrors: number }[];
    };
    expect(statistics.buckets.find((bucket) => bucket.key === 'anthropic/a')).toMatchObject({
      successes: 0,
      otherErrors: 1,
    });
  });

  it('answers GET /health from the one route table, on the socket and through the Hono app alike', async () => {
    const url = await anthropicPool();
    const onSocket = await fetch(`${url}/health`);
    expect(onSocket.status).toBe(200);
    expect(onSocket.headers.get('content-type')).toBe('application/json');
    // The same route through the Hono app, as a request the fast path does not take would reach it.
    const app = createServer(appListener(harness!.router().context));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const fromApp = await fetch(`http://127.0.0.1:${(app.address() as AddressInfo).port}/health`);
      expect(fromApp.status).toBe(200);
      expect(await onSocket.json()).toEqual(await fromApp.json());
    } finally {
      await new Promise<void>((resolve) => app.close(() => resolve()));
    }
    expect((await fetch(`${url}/health?verbose=1`)).status).toBe(200);
    expect((await fetch(`${url}/health`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${url}/health/`)).status).toBe(404);
  });

  it('answers GET and HEAD /health sent in absolute form (as proxies send it) without an internal error', async () => {
    harness = await createHarness();
    const reported: string[] = [];
    const { port } = await harness.startRouter({ warn: (message) => reported.push(message) });
    // @hono/node-server reports its own failures on the console.
    const consoleErrors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      for (const method of ['GET', 'HEAD']) {
        const head = await rawExchange(
          port,
          `${method} http://127.0.0.1:${port}/health?verbose=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
        );
        expect(head.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
      }
      expect(reported).toEqual([]);
      expect(consoleErrors).not.toHaveBeenCalled();
    } finally {
      consoleErrors.mockRestore();
    }
  });

  it('switches profiles live through the admin route', async () => {
    const url = await anthropicPool();
    await harness!.writeProfile('other', 'type: model\nprovider: anthropic\nbuckets: [b]\n');
    const switched = await fetch(`${url}/profiles/active`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"profile":"other"}',
    });
    expect(switched.status).toBe(200);
    const answer = await fetch(`${url}${messages.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(messages.body),
    });
    expect(answer.headers.get('x-switchyard-bucket')).toBe('anthropic/b');
    const unknown = await fetch(`${url}/profiles/active`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"profile":"ghost"}',
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(
      /^Unknown profile "ghost"/,
    );
  });
});
