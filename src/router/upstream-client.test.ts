import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyReadOnceFromBytes, UpstreamClient } from './upstream-client.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server | undefined;
let client: UpstreamClient | undefined;

/** A real upstream on a random loopback port; resolves with its base URL. */
async function upstream(handler: Handler): Promise<string> {
  server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An upstream that answers every request with `parts` as one whole event stream. */
function streamingUpstream(parts: string[]): Promise<string> {
  return upstream((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const part of parts) response.write(part);
    response.end();
  });
}

function post(base: string, body = '{"model":"m"}') {
  return { url: new URL('/v1/messages', base), headers: { 'content-type': 'application/json' }, body };
}

/** Resolves when the upstream sees its side of the request closed. */
function closedUpstream(response: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => response.once('close', () => resolve(!response.writableFinished)));
}

afterEach(async () => {
  await client?.close();
  client = undefined;
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

describe('UpstreamClient', () => {
  it('sends the body and headers, and reads a plain answer whole', async () => {
    const base = await upstream((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        response.writeHead(200, {
          'content-type': 'application/json',
          'x-seen': request.headers['content-type'] ?? '',
        });
        response.write('{"echo":');
        response.end(`${Buffer.concat(chunks).toString()}}`);
      });
    });
    client = new UpstreamClient();
    const answer = await client.send(post(base), undefined);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['x-seen']).toBe('application/json');
    expect((await answer.bytes()).toString()).toBe('{"echo":{"model":"m"}}');
  });

  it("sends a body of a conversation's size whole, with its length and not chunked, and the same for a small one", async () => {
    const seen: { length: string | undefined; chunked: boolean; body: string }[] = [];
    const base = await upstream((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({
          length: request.headers['content-length'],
          chunked: request.headers['transfer-encoding'] !== undefined,
          body: Buffer.concat(chunks).toString(),
        });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{}');
      });
    });
    client = new UpstreamClient();
    // Past the size from which undici is handed a stream that lets go of the bytes once sent; with characters
    // of several bytes, so that the length is counted in bytes.
    const large = JSON.stringify({ model: 'm', text: 'é'.repeat(bodyReadOnceFromBytes) });
    for (const body of [large, '{"model":"m"}']) {
      const answer = await client.send(post(base, body), undefined);
      expect(answer.statusCode).toBe(200);
      await answer.bytes();
    }
    expect(seen).toEqual([
      { length: String(Buffer.byteLength(large)), chunked: false, body: large },
      { length: '13', chunked: false, body: '{"model":"m"}' },
    ]);
  });

  it('keeps no copy of a large body while its answer is still streaming', async () => {
    v8.setFlagsFromString('--expose-gc');
    const collectGarbage = vm.runInNewContext('gc') as () => void;
    const collected = async () => {
      for (let round = 0; round < 3; round += 1) {
        await nextTurn();
        collectGarbage();
      }
      return process.memoryUsage().arrayBuffers;
    };
    let answered: ServerResponse | undefined;
    // The upstream reads the body and drops it, then holds its stream open after the first event.
    const base = await upstream((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('event: ping\ndata: {}\n\n');
        answered = response;
      });
    });
    client = new UpstreamClient();
    const before = await collected();
    const megabytes = 4;
    try {
      const answer = await client.send(post(base, `"${'x'.repeat(megabytes * 1024 * 1024)}"`), undefined);
      const events = answer.body[Symbol.asyncIterator]();
      expect(String((await events.next()).value)).toBe('event: ping\ndata: {}\n\n');
      // undici keeps a request's body until its answer ends: given the string, it held a copy of it all along.
      expect(await collected()).toBeLessThan(before + (megabytes / 4) * 1024 * 1024);
    } finally {
      answered?.end();
    }
  });

  it('streams a long answer through body in order', async () => {
    const parts = Array.from({ length: 200 }, (_, index) => `data: ${index} ${'x'.repeat(2_000)}\n\n`);
    const base = await streamingUpstream(parts);
    client = new UpstreamClient();
    const answer = await client.send(post(base), undefined);
    const received: Buffer[] = [];
    for await (const chunk of answer.body) received.push(chunk as Buffer);
    expect(Buffer.concat(received).toString()).toBe(parts.join(''));
  });

  it('rejects with the signal reason and closes the upstream request when aborted before the answer', async () => {
    let upstreamClosed: Promise<boolean> | undefined;
    const base = await upstream((_request, response) => {
      upstreamClosed = closedUpstream(response);
    });
    client = new UpstreamClient();
    const controller = new AbortController();
    const sending = client.send(post(base), controller.signal);
    await until(() => upstreamClosed !== undefined);
    controller.abort();
    await expect(sending).rejects.toMatchObject({ name: 'AbortError' });
    expect(await upstreamClosed).toBe(true);
  });

  it('rejects at once when the signal is already aborted', async () => {
    let calls = 0;
    const base = await upstream((_request, response) => {
      calls += 1;
      response.end();
    });
    client = new UpstreamClient();
    const controller = new AbortController();
    controller.abort();
    await expect(client.send(post(base), controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(0);
  });

  it('ends a started stream with the abort reason and frees the upstream when the signal aborts', async () => {
    let upstreamClosed: Promise<boolean> | undefined;
    const base = await upstream((_request, response) => {
      upstreamClosed = closedUpstream(response);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: first\n\n');
    });
    client = new UpstreamClient();
    const controller = new AbortController();
    const answer = await client.send(post(base), controller.signal);
    const failed = new Promise<Error>((resolve) => answer.body.once('error', resolve));
    answer.body.once('data', () => controller.abort());
    expect(await failed).toMatchObject({ name: 'AbortError' });
    expect(await upstreamClosed).toBe(true);
  });

  it('frees the upstream when the reader destroys the body early', async () => {
    let upstreamClosed: Promise<boolean> | undefined;
    const base = await upstream((_request, response) => {
      upstreamClosed = closedUpstream(response);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('event: error\ndata: {}\n\n');
    });
    client = new UpstreamClient();
    const answer = await client.send(post(base), undefined);
    answer.body.once('data', () => answer.body.destroy());
    expect(await upstreamClosed).toBe(true);
  });

  it('rejects bytes() when the upstream breaks off in the middle of the body', async () => {
    const base = await upstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"partial":', () => response.socket?.destroy());
    });
    client = new UpstreamClient();
    const answer = await client.send(post(base), undefined);
    await expect(answer.bytes()).rejects.toBeInstanceOf(Error);
  });

  it('fails a body stream opened after the upstream broke off', async () => {
    const base = await upstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: one\n\n', () => response.socket?.destroy());
    });
    client = new UpstreamClient();
    const answer = await client.send(post(base), undefined);
    await expect(answer.bytes()).rejects.toBeInstanceOf(Error);
    const failed = new Promise<Error>((resolve) => answer.body.once('error', resolve));
    answer.body.resume();
    expect(await failed).toBeInstanceOf(Error);
  });

  it('fails with a headers timeout and frees the upstream when it keeps silent before its headers', async () => {
    let upstreamClosed: Promise<boolean> | undefined;
    const base = await upstream((_request, response) => {
      upstreamClosed = closedUpstream(response);
    });
    client = new UpstreamClient({ headersTimeoutMs: 100 });
    await expect(client.send(post(base), undefined)).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(await upstreamClosed).toBe(true);
  });

  it('fails a body that goes silent mid-way with a body timeout, read whole or streamed', async () => {
    const base = await upstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"partial":');
    });
    client = new UpstreamClient({ bodyTimeoutMs: 100 });
    const whole = await client.send(post(base), undefined);
    await expect(whole.bytes()).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
    const streamed = await client.send(post(base), undefined);
    const failed = new Promise<Error>((resolve) => streamed.body.once('error', resolve));
    streamed.body.resume();
    expect(await failed).toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
  });

  it('does not count a reader that holds the stream paused as upstream silence', async () => {
    const parts = Array.from({ length: 64 }, (_, index) => `data: ${index} ${'x'.repeat(4_000)}\n\n`);
    const base = await streamingUpstream(parts);
    client = new UpstreamClient({ bodyTimeoutMs: 100 });
    const answer = await client.send(post(base), undefined);
    const body = answer.body;
    // More than the stream buffers arrives at once: the relay pauses undici, then reads nothing
    // for several times the limit, as a slow client would make it.
    await until(() => body.readableLength >= 16 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe(parts.join(''));
  });

  it('rejects on a connection refused', async () => {
    const base = await upstream(() => undefined);
    server?.close();
    await once(server!, 'close');
    client = new UpstreamClient();
    await expect(client.send(post(base), undefined)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('makes its agent on first need, shares it, and refuses requests once closed, as undici does', async () => {
    const base = await upstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
    client = new UpstreamClient();
    // Two requests before the agent exists wait for the same one.
    const [first, second] = await Promise.all([client.send(post(base), undefined), client.send(post(base), undefined)]);
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(await client.prepare()).toBe(await client.prepare());
    await client.close();
    await expect(client.send(post(base), undefined)).rejects.toMatchObject({
      name: 'ClientClosedError',
      message: 'The client is closed',
    });
  });

  it('closes at once when it never made an agent', async () => {
    const unused = new UpstreamClient();
    await expect(unused.close()).resolves.toBeUndefined();
    await expect(unused.send(post('http://127.0.0.1:9'), undefined)).rejects.toMatchObject({
      name: 'ClientClosedError',
    });
  });
});

/** Polls a condition on the event loop (no wall-clock assertion). */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setImmediate(resolve));
}
