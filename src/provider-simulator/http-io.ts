import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { parseJsonObject as parseJsonObjectText } from '../core/json.js';

/** Reads the whole request body; the simulator's answers depend on its size and fields. */
export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Parses a JSON object body; anything else (empty, malformed, an array) is undefined. */
export function parseJsonObject(body: Buffer | string): Record<string, unknown> | undefined {
  return body.length === 0 ? undefined : parseJsonObjectText(body.toString());
}

/** Sends a complete JSON answer with a content-length, so keep-alive clients reuse the socket. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  if (response.destroyed || response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Starts a 200 event stream. */
export function startEventStream(response: ServerResponse, headers: OutgoingHttpHeaders = {}): void {
  response.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
}

/**
 * Resolves after `milliseconds`, or as soon as the response closes (client gone, simulator
 * closing), so that no timer outlives its request.
 */
export function waitWhileOpen(response: ServerResponse, milliseconds: number): Promise<void> {
  if (milliseconds <= 0 || response.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      response.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, milliseconds);
    response.on('close', done);
  });
}

/** True once the answer can no longer be written (socket destroyed or answer finished). */
export function isGone(response: ServerResponse): boolean {
  return response.destroyed || response.writableEnded;
}

const hungUp = new WeakSet<ServerResponse>();

/**
 * Resets the connection (TCP RST where the platform allows) on purpose, so that the request is
 * not counted as one its client abandoned.
 */
export function hangUp(response: ServerResponse): void {
  hungUp.add(response);
  const socket = response.socket;
  if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else response.destroy();
}

/** True when the simulator itself cut the connection (`hangUp`). */
export function wasHungUp(response: ServerResponse): boolean {
  return hungUp.has(response);
}

/** Resolves when the answer's connection closes, however long that takes (a stall). */
export function waitUntilClosed(response: ServerResponse): Promise<void> {
  if (response.destroyed) return Promise.resolve();
  return new Promise((resolve) => response.once('close', () => resolve()));
}
