import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { relayStream, type StreamOutcome } from './relay-stream.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** An upstream stream that has already arrived whole: a first event, then far more than a socket buffers. */
function finishedUpstream(): Readable {
  const event = Buffer.from(
    `event: content_block_delta\ndata: ` +
      `{"type":"content_block_delta","delta":{"type":"text_delta","text":"${'x'.repeat(4000)}"}}\n\n`,
  );
  const chunks = [
    Buffer.from('event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":3}}}\n\n'),
  ];
  for (let index = 0; index < 2_000; index++) chunks.push(event);
  return Readable.from(chunks, { objectMode: false });
}

describe('relayStream', () => {
  it('settles, and frees the upstream, when the client leaves while the relay waits for it to read', async () => {
    let outcome: StreamOutcome | undefined;
    let source: Readable | undefined;
    server = createServer((_incoming, response) => {
      source = finishedUpstream();
      void relayStream(
        source,
        response,
        'anthropic-messages',
        () => response.writeHead(200, { 'content-type': 'text/event-stream' }),
        { eventLimitBytes: 8 * 1024 * 1024 },
      ).then((settled) => {
        outcome = settled;
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // The client takes the head and one chunk, then goes away without reading the rest.
    await new Promise<void>((resolve, reject) => {
      const outgoing = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/' }, (answer) => {
        answer.once('data', () => {
          answer.pause();
          setTimeout(() => {
            answer.destroy();
            resolve();
          }, 50);
        });
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
    const usage = { inputTokens: 3, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 };
    await vi.waitFor(() => expect(outcome).toEqual({ kind: 'broken', usage }), { timeout: 10_000 });
    expect(source?.destroyed).toBe(true);
  });
});
