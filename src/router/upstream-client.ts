import { Agent, type Dispatcher } from 'undici';
import type { OutgoingRequest } from '../providers/types.js';

export interface UpstreamClientOptions {
  /** Milliseconds to wait for the answer's headers (LLMs may think for minutes). */
  headersTimeoutMs?: number;
  /** Milliseconds of silence allowed between body chunks. */
  bodyTimeoutMs?: number;
}

export type UpstreamAnswer = Dispatcher.ResponseData;

/** Keep-alive connection pools per provider origin; one POST per attempt. */
export class UpstreamClient {
  private readonly agent: Agent;

  constructor(options: UpstreamClientOptions = {}) {
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      headersTimeout: options.headersTimeoutMs ?? 600_000,
      bodyTimeout: options.bodyTimeoutMs ?? 300_000,
      connect: { timeout: 10_000 },
    });
  }

  send(request: OutgoingRequest, signal: AbortSignal | undefined): Promise<UpstreamAnswer> {
    return this.agent.request({
      origin: request.url.origin,
      path: request.url.pathname + request.url.search,
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal,
      // Uncompressed answers let the router read usage and error bodies without decoding.
      blocking: false,
    });
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
