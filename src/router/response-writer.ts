import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { WireFormat } from '../core/types.js';
import { renderError } from '../formats/index.js';
import { type AttemptOutcome, renderTrailHeader } from './attempt-outcome.js';

/**
 * Every write switchyard makes to a client's response goes through here: proxied answers and
 * their heads, a relayed stream's chunks, and the errors switchyard answers itself (before
 * routing, when nothing is left, internal ones). One place to read what a client can receive.
 */

/** An error switchyard answers itself: its status, the message a person reads, a machine code. */
export interface OwnError {
  status: number;
  message: string;
  code: string;
  /** Extra structured data inside the error object (the buckets list, say). */
  details?: Record<string, unknown>;
}

/** A whole answer: head and body at once. */
export function writeWhole(
  response: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders,
  body: string | Buffer,
): void {
  response.writeHead(status, headers);
  response.end(body);
}

/** One chunk of a streamed body; false: wait for 'drain' before the next. */
export function writeChunk(response: ServerResponse, chunk: string | Buffer): boolean {
  return response.write(chunk);
}

/**
 * Chunks of a streamed body sent as one write; false: wait for 'drain' before the next. Joined, not
 * corked: on Node 22 (20 was fine) a response whose corked writes said "wait" never emitted 'drain', and a
 * large stream stalled until its deadline (test/faults.test.ts, "relays a very large answer whole").
 */
export function writeChunks(response: ServerResponse, chunks: readonly Buffer[]): boolean {
  if (chunks.length === 1) return response.write(chunks[0]);
  return response.write(Buffer.concat(chunks));
}

/** The end of a streamed body, with its last bytes when there are any. */
export function endBody(response: ServerResponse, last?: string | Buffer): void {
  if (last === undefined) response.end();
  else response.end(last);
}

/** Bytes already reached the client and the answer cannot be finished: cut the connection. */
export function cutOff(response: ServerResponse): void {
  response.destroy();
}

/** The head of a proxied answer, naming the bucket that serves it and every attempt before. */
export function writeAnswerHead(
  response: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  servedBy: string,
  trail: readonly AttemptOutcome[],
): void {
  headers['x-switchyard-bucket'] = servedBy;
  headers['x-switchyard-attempts'] = renderTrailHeader(trail);
  response.writeHead(status, headers);
}

/** An error body as the caller's API shapes errors; plain JSON for switchyard's own routes (no format). */
function renderOwnError(format: WireFormat | undefined, error: OwnError): string {
  if (format) return renderError(format, error);
  return JSON.stringify({ error: { message: error.message, code: error.code } });
}

/** An answer written in one go: what the error boundary hands to Hono, or writes itself on the fast path. */
export interface WholeAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An error switchyard answers itself, as JSON, with the attempts so far when there were any. */
export function ownErrorAnswer(
  format: WireFormat | undefined,
  error: OwnError,
  headers: Record<string, string> = {},
  trail: readonly AttemptOutcome[] = [],
): WholeAnswer {
  const head: Record<string, string> = { 'content-type': 'application/json', ...headers };
  if (trail.length > 0) head['x-switchyard-attempts'] = renderTrailHeader(trail);
  return { status: error.status, headers: head, body: renderOwnError(format, error) };
}

/** Writes an error switchyard answers itself (see ownErrorAnswer). */
export function writeError(
  response: ServerResponse,
  format: WireFormat | undefined,
  error: OwnError,
  headers: Record<string, string> = {},
  trail: readonly AttemptOutcome[] = [],
): void {
  const answer = ownErrorAnswer(format, error, headers, trail);
  writeWhole(response, answer.status, answer.headers, answer.body);
}
