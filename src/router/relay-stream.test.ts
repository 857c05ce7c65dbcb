import { createServer, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WireFormat } from '../core/types.js';
import { recordedAnswers, wireFormats } from '../formats/testing/recorded-streams.js';
import { createStreamTranslator } from '../formats/translate-stream.js';
import { relayStream, type StreamOutcome } from './relay-stream.js';
import { dispatchedEvents } from './testing/client-event-parser.js';
import { RecordedResponse } from './testing/router-fakes.js';

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
    const usage = { inputTokens: 3, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
    await vi.waitFor(() => expect(outcome).toEqual({ kind: 'broken', usage }), { timeout: 10_000 });
    expect(source?.destroyed).toBe(true);
  });

  it.each(
    wireFormats.flatMap((upstream) => [
      [upstream, upstream],
      [upstream, wireFormats[(wireFormats.indexOf(upstream) + 1) % wireFormats.length]!],
    ]),
  )('ends a %s stream cut at any byte with an error event a %s client parses', async (upstream, client) => {
    const stream = Buffer.from(recordedAnswers[upstream].stream);
    for (let cut = 0; cut <= stream.length; cut++) {
      const { outcome, body } = await relayCut(stream.subarray(0, cut), upstream, client);
      if (outcome.kind === 'failed-before-start') {
        // Nothing reached the client: the router may still fail over.
        expect({ cut, body }).toEqual({ cut, body: '' });
        continue;
      }
      expect({ cut, outcome: outcome.kind }).toEqual({ cut, outcome: 'broken' });
      const events = dispatchedEvents(body);
      const last = events.at(-1)!;
      expect({ cut, event: last.event }).toEqual({
        cut,
        event: client === 'anthropic-messages' || client === 'openai-responses' ? 'error' : 'message',
      });
      const error = (JSON.parse(last.data) as { error: { message: string } }).error;
      expect({ cut, message: error.message }).toEqual({
        cut,
        message: 'The upstream stream broke off after it had started; the answer is incomplete.',
      });
      // Every event before it is whole: none was cut, none glued to the error.
      for (const event of events.slice(0, -1))
        if (event.data !== '[DONE]') expect(() => JSON.parse(event.data), `${cut}`).not.toThrow();
    }
  });
});

/** Relays an upstream stream that broke after `bytes`, to a client of `client` format. */
async function relayCut(
  bytes: Buffer,
  upstream: WireFormat,
  client: WireFormat,
): Promise<{ outcome: StreamOutcome; body: string }> {
  const source = new Readable({ read() {} });
  if (bytes.length > 0) source.push(bytes);
  setImmediate(() => source.destroy(new Error('other side closed')));
  const response = new RecordedResponse();
  const outcome = await relayStream(
    source,
    response as unknown as ServerResponse,
    upstream,
    () => response.writeHead(200, { 'content-type': 'text/event-stream' }),
    {
      translator: upstream === client ? undefined : createStreamTranslator(upstream, client, 0),
      eventLimitBytes: 1 << 20,
    },
  );
  return { outcome, body: response.body };
}
