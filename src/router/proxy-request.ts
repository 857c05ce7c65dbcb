import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { WireFormat } from '../core/types.js';
import type { Chain } from '../profiles/types.js';
import type { CancelSignal } from './cancellation.js';
import type { RequestRecord } from './request-record.js';

/** One client request, parsed and authorised, as the router receives it. */
export interface ProxyRequest {
  format: WireFormat;
  /** Inbound path without query, e.g. `/v1/messages`. */
  path: string;
  body: Record<string, unknown>;
  /** The body as received, forwarded as is when no provider change is needed. */
  rawBody: string;
  /** The model the client asked for (body, or the Gemini path). */
  clientModel: string | undefined;
  stream: boolean;
  headers: IncomingHttpHeaders;
  chain: Chain;
  /** Keeps a client session on one bucket when the chain is sticky. */
  sessionKey: string | undefined;
  response: ServerResponse;
  /** Aborted when the client goes away. */
  signal: CancelSignal;
  /** Who sent it and how it went, for metrics, logs and client statistics. */
  record: RequestRecord;
}
