import type { BucketStatus } from '../core/types.js';

export interface ErrorDescription {
  /** HTTP status switchyard answers with. */
  status: number;
  message: string;
  /** Machine code, e.g. `all_buckets_exhausted`, `unknown_profile`, `invalid_json`. */
  code?: string;
  /** Extra structured data put inside the error object (e.g. the buckets list). */
  details?: Record<string, unknown>;
}

/** Incremental look at the start of a 200 SSE stream: is the first real event an error? */
export type StreamStart = { state: 'need-more' } | { state: 'ok' } | { state: 'error'; error: unknown };

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface StreamUsageTracker {
  push(chunk: Buffer): void;
  result(): Usage;
}

export interface RequestShape {
  model: string | undefined;
  stream: boolean;
}

export interface BucketAvailability {
  key: string;
  state: BucketStatus;
  /** Unix ms; undefined when unknown (needs login) or ready. */
  availableAt: number | undefined;
}

/** Everything switchyard needs to speak one wire format without translating it. */
export interface FormatCodec {
  renderError(error: ErrorDescription): string;
  renderStreamError(error: ErrorDescription): string;
  /** Whether a complete SSE event is the stream's first real one, and an error. */
  isErrorEvent(event: ServerSentEvent): { real: boolean; error?: unknown };
  readUsage(body: string): Usage;
  /** Cheap test on a block of complete events before any of them is parsed for usage. */
  usageMarker: string;
  /** Folds one parsed event's usage into the running total. */
  applyStreamUsage(event: ServerSentEvent, usage: Usage): void;
}

export interface ServerSentEvent {
  event: string | undefined;
  data: string;
}
