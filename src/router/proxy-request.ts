import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { WireFormat } from '../core/types.js';
import type { InternalRequest } from '../formats/internal.js';
import type { TranslatedRequest } from '../formats/translate-exchange.js';
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
  /** The body in other formats, made on first need for buckets of other providers (request-translation.ts). */
  translated?: TranslatedBodies | undefined;
}

/** The body decoded once, and encoded for each upstream format and model it was sent in. */
export interface TranslatedBodies {
  internal: InternalRequest;
  encoded: Map<string, TranslatedRequest>;
}

/** What `body` reads as once released: an empty object, never the client's. */
const releasedBody: Record<string, unknown> = Object.freeze({});

/**
 * Lets go of the request's body, as text, parsed and translated, once its answer is committed (the
 * head is written, so no other bucket will be asked). A stream can last minutes, and a coding
 * agent's conversation is megabytes: held as text, parsed and translated, it cost several times its
 * size for as long as the stream lasted.
 */
export function releaseBody(request: ProxyRequest): void {
  request.body = releasedBody;
  request.rawBody = '';
  if (request.translated === undefined) return;
  for (const translation of request.translated.encoded.values()) {
    translation.body = releasedBody;
    translation.rawBody = '';
  }
  request.translated = undefined;
}
