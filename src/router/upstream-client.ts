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
          headers: request.headers,
          body: request.body,
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
