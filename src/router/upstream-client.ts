import { Readable } from 'node:stream';
import type { Agent } from 'undici';
import { defaultSettings } from '../config/settings.js';
import type { OutgoingRequest } from '../providers/types.js';
import type { CancelSignal } from './cancellation.js';
import { errors } from './undici-errors.js';
import { type UpstreamAnswer, type UpstreamLimits, UpstreamResponse } from './upstream-response.js';

export type { UpstreamAnswer } from './upstream-response.js';

export interface UpstreamClientOptions {
  /** Milliseconds to wait for the answer's headers (LLMs may think for minutes). */
  headersTimeoutMs?: number;
  /** Milliseconds of silence allowed between body chunks. */
  bodyTimeoutMs?: number;
  /** Bytes of a plain answer held at most (config.yaml `routing.answerLimitBytes`). */
  answerLimitBytes?: number;
}

/**
 * Keep-alive connection pools per provider origin; one POST per attempt. The agent is made on
 * first need: `prepare()` (the server calls it once it listens) or the first `send`, so that
 * undici and node:tls are not loaded before the server can answer its first /health.
 */
export class UpstreamClient {
  private agent: Agent | undefined;
  private preparing: Promise<Agent> | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly limits: UpstreamLimits;

  constructor(options: UpstreamClientOptions = {}) {
    this.limits = {
      headersMs: options.headersTimeoutMs ?? 600_000,
      bodyMs: options.bodyTimeoutMs ?? 300_000,
      answerBytes: options.answerLimitBytes ?? defaultSettings.routing.answerLimitBytes,
    };
  }

  /** Loads undici and makes the agent, once. */
  prepare(): Promise<Agent> {
    if (this.closed && this.preparing === undefined) return Promise.reject(new errors.ClientClosedError());
    this.preparing ??= import('./undici-parts.js').then(({ Agent: AgentClass }) => {
      this.agent = new AgentClass({
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        // Both limits are kept by UpstreamResponse, with plain timers (see there why).
        headersTimeout: 0,
        bodyTimeout: 0,
        connect: { timeout: 10_000 },
      });
      return this.agent;
    });
    return this.preparing;
  }

  /** Resolves with the answer once its headers arrive; rejects on network errors and on `signal`. */
  send(request: OutgoingRequest, signal: CancelSignal | undefined): Promise<UpstreamAnswer> {
    // As undici's own agent answers once closed (a request still retrying while the server stops).
    if (this.closed) return Promise.reject(new errors.ClientClosedError());
    const agent = this.agent;
    if (agent === undefined) return this.prepare().then(() => this.send(request, signal));
    return new Promise((resolve, reject) => {
      agent.dispatch(
        {
          origin: request.url.origin,
          path: request.url.pathname + request.url.search,
          method: 'POST',
          ...bodyAndHeaders(request),
          // Uncompressed answers let the router read usage and error bodies without decoding.
          blocking: false,
        },
        new UpstreamResponse(resolve, reject, signal, this.limits),
      );
    });
  }

  /** Closes the agent's connections once; closing again waits for the same. */
  close(): Promise<void> {
    this.closed = true;
    this.closing ??= this.preparing === undefined ? Promise.resolve() : this.preparing.then((agent) => agent.close());
    return this.closing;
  }
}

/** From this size on, a body is handed to undici as an iterable: see bodyAndHeaders. */
export const bodyReadOnceFromBytes = 64 * 1024;

/**
 * The body as undici is given it. undici keeps a request's body until its answer has ended, minutes
 * for a stream; a coding agent's conversation is hundreds of kilobytes to megabytes. A large body
 * is therefore handed over as a stream of one chunk that gives it up once read, with the length in a
 * header, so the bytes go as soon as they are sent; a small one as the string (undici's fast path).
 */
function bodyAndHeaders(request: OutgoingRequest): { body: string | Readable; headers: Record<string, string> } {
  if (request.body.length < bodyReadOnceFromBytes) return { body: request.body, headers: request.headers };
  const bytes = Buffer.from(request.body);
  return {
    body: Readable.from(readOnce(bytes), { objectMode: false }),
    headers: { ...request.headers, 'content-length': String(bytes.length) },
  };
}

/** An iterable of `bytes` that lets go of them once they are read. */
function readOnce(bytes: Buffer): Iterable<Buffer> {
  let left: Buffer | undefined = bytes;
  return {
    [Symbol.iterator]: () => ({
      next(): IteratorResult<Buffer> {
        const chunk = left;
        left = undefined;
        return chunk === undefined ? { done: true, value: undefined } : { done: false, value: chunk };
      },
    }),
  };
}
