import type { InternalError, InternalRequest, InternalResponse, StreamEvent } from './internal.js';
import type { ServerSentEvent } from './types.js';

/** Where a request came from, beyond its body: Gemini names the model and streaming in the path. */
export interface RequestContext {
  pathModel: string | undefined;
  stream: boolean;
}

/** Turns one format's stream events into internal ones, keeping whatever state the format needs. */
export interface StreamDecoder {
  decode(event: ServerSentEvent): StreamEvent[];
  /** Events still owed when the upstream stream ends (a finish held back for a usage chunk). */
  end(): StreamEvent[];
}

/** Writes internal stream events as one format's SSE text, keeping its block and item bookkeeping. */
export interface StreamEncoder {
  encode(event: StreamEvent): string;
  /** Closes whatever is still open when the upstream stream ends without a finish. */
  end(): string;
}

/** One wire format to and from the internal form. */
export interface Codec {
  decodeRequest(body: Record<string, unknown>, context: RequestContext): InternalRequest;
  encodeRequest(request: InternalRequest): Record<string, unknown>;
  decodeResponse(body: Record<string, unknown>): InternalResponse;
  /** `createdSeconds` (Unix seconds) dates the answer where a format carries a creation time. */
  encodeResponse(response: InternalResponse, createdSeconds: number): Record<string, unknown>;
  createStreamDecoder(): StreamDecoder;
  createStreamEncoder(createdSeconds: number): StreamEncoder;
  /** The provider's error payload (answer body or stream event) in internal form. */
  decodeError(status: number, payload: unknown): InternalError;
}
