import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { HttpError } from './http-error.js';
import { readJsonBody } from './read-request-body.js';

/** A request body arriving in `chunks`, as node's server would hand it over. */
function incomingOf(chunks: string[], headers: Record<string, string> = {}): IncomingMessage {
  const stream = new PassThrough();
  Object.assign(stream, { headers });
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  return stream as unknown as IncomingMessage;
}

const listeners = (incoming: IncomingMessage) => ['data', 'end', 'error'].map((event) => incoming.listenerCount(event));

describe('readJsonBody', () => {
  it('parses a body sent in pieces and leaves no listener behind to keep it alive', async () => {
    const incoming = incomingOf(['{"model":"claude', '-sonnet-4-6","messages":[]}']);
    const body = await readJsonBody(incoming, 'anthropic-messages');
    expect(body.value).toEqual({ model: 'claude-sonnet-4-6', messages: [] });
    expect(body.text).toBe('{"model":"claude-sonnet-4-6","messages":[]}');
    // The connection lives on (a stream's whole length): a listener left on it would hold the body.
    expect(listeners(incoming)).toEqual([0, 0, 0]);
  });

  it('refuses a body over the limit with 413, reads the rest and leaves no listener behind', async () => {
    const incoming = incomingOf(['{"model":"', 'x'.repeat(100), '"}']);
    const refusal = readJsonBody(incoming, 'openai-chat', 64);
    await expect(refusal).rejects.toBeInstanceOf(HttpError);
    await expect(refusal).rejects.toMatchObject({
      status: 413,
      code: 'request_too_large',
      message: 'The request body is larger than the limit of 64 bytes.',
    });
    expect(listeners(incoming)).toEqual([0, 0, 0]);
    // The rest is still read, so that the 413 can be written on a connection that is not stalled.
    await vi.waitFor(() => expect(incoming.readableEnded).toBe(true));
  });

  it("answers 400 in the caller's words for a body that is not JSON", async () => {
    const incoming = incomingOf(['{"model": ']);
    await expect(readJsonBody(incoming, 'anthropic-messages')).rejects.toMatchObject({
      status: 400,
      code: 'invalid_json',
      message: expect.stringMatching(/^The request body is not valid JSON \(/),
    });
    expect(listeners(incoming)).toEqual([0, 0, 0]);
  });
});
