import type { Agent as AgentType } from 'undici';
import { Agent } from './undici-parts.js';
import type { OutgoingRequest } from '../providers/types.js';
import type { CancelSignal } from './cancellation.js';
import { UpstreamResponse, type SilenceLimits, type UpstreamAnswer } from './upstream-response.js';

export type { UpstreamAnswer } from './upstream-response.js';

export interface UpstreamClientOptions {
  /** Milliseconds to wait for the answer's headers (LLMs may think for minutes). */
  headersTimeoutMs?: number;
  /** Milliseconds of silence allowed between body chunks. */
  bodyTimeoutMs?: number;
}

/** Keep-alive connection pools per provider origin; one POST per attempt. */
export class UpstreamClient {
  private readonly agent: AgentType;
  private readonly limits: SilenceLimits;

  constructor(options: UpstreamClientOptions = {}) {
    this.limits = { headersMs: options.headersTimeoutMs ?? 600_000, bodyMs: options.bodyTimeoutMs ?? 300_000 };
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      // Both limits are kept by UpstreamResponse, with plain timers (see there why).
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: { timeout: 10_000 },
    });
  }

  /** Resolves with the answer once its headers arrive; rejects on network errors and on `signal`. */
  send(request: OutgoingRequest, signal: CancelSignal | undefined): Promise<UpstreamAnswer> {
    return new Promise((resolve, reject) => {
      this.agent.dispatch(
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

  close(): Promise<void> {
    return this.agent.close();
  }
}
