import type { BucketStatus } from '../core/types.js';

export interface ErrorDescription {
  /** HTTP status switchyard answers with. */
  status: number;
  message: string;
  /** Machine code, e.g. `all_buckets_exhausted`, `unknown_profile`, `invalid_json`. */
  code?: string;
  /** Extra structured data put inside the error object (e.g. the buckets list). */
  details?: Record<string, unknown>;
  /** Seconds until a retry may succeed; Gemini carries it as `google.rpc.RetryInfo`. */
  retryAfterSeconds?: number;
  /** Unix ms when a spent quota comes back; the Responses format states it as Codex's backend does. */
  resetsAt?: number;
}

/** Incremental look at the start of a 200 SSE stream: is the first real event an error? */
export type StreamStart = { state: 'need-more' } | { state: 'ok' } | { state: 'error'; error: unknown };

/**
 * The tokens one answer used, the same in every format: the router counts them (the dashboard
 * prices cache reads and writes apart), the codecs carry them from one format to another. Each
 * format's `usage.ts` reads its own wire object into this, in one place.
 */
export interface Usage {
  /** Every prompt token, cached or not. */
  inputTokens: number;
  /** Every generated token, reasoning included. */
  outputTokens: number;
  /** Of inputTokens, those read from the provider's prompt cache. */
  cachedInputTokens: number;
  /**
   * Of inputTokens, those written to the provider's prompt cache (Anthropic's
   * `cache_creation_input_tokens`, billed above fresh input); 0 where a format does not report them.
   */
  cacheWriteTokens: number;
  /** Of outputTokens, those spent on reasoning. */
  reasoningTokens: number;
}

/** A fresh all-zero usage, to be filled in (each caller gets its own object). */
export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
}

/** Scans a streaming response chunk by chunk and keeps the usage it reports. */
export interface StreamUsageTracker {
  push(chunk: Buffer): void;
  result(): Usage;
}

/** What the router needs to know of a parsed request body. */
export interface RequestShape {
  model: string | undefined;
  stream: boolean;
}

export interface BucketAvailability {
  key: string;
  /**
   * `disabled`: the provider's OAuth is turned off (`switchyard auth <provider> disable`); `paused`:
   * paused by hand (`switchyard bucket pause`).
   */
  state: BucketStatus | 'disabled' | 'paused';
  /** Unix ms; undefined when unknown (needs login, disabled) or ready. */
  availableAt: number | undefined;
  /** For a bucket that needs a person (a login, or enabling its provider): the sentence that says the fix. */
  advice?: string;
}

/** One parsed server-sent event. */
export interface ServerSentEvent {
  event: string | undefined;
  data: string;
}

/**
 * What one event at the start of a stream means: `skip` for keep-alives and envelopes that carry
 * no output yet (so an error right after them can still fail over), `ok` for the first real
 * event, or the error the stream opens with.
 */
export type StartEventVerdict = { kind: 'skip' } | { kind: 'ok' } | { kind: 'error'; error: unknown };

/** How one format's stream reports usage, so that only the events carrying it are parsed. */
export interface StreamUsageSource {
  /** The quoted JSON key whose object value carries usage, e.g. `"usage"`. */
  key: string;
  /** Each usage event repeats the running totals: only the latest one is parsed, at the end. */
  latestOnly: boolean;
  /** Folds one parsed usage-carrying event into the running total. */
  apply(event: Record<string, unknown>, usage: Usage): void;
}

/** Everything switchyard needs to speak one wire format; each format folder exports these names. */
export interface WireFormatHelpers {
  renderError(error: ErrorDescription): string;
  renderStreamError(error: ErrorDescription): string;
  classifyStartEvent(event: ServerSentEvent): StartEventVerdict;
  readUsage(body: string): Usage;
  /** The same from an answer the router already parsed (to check it is JSON). */
  usageOfAnswer(parsed: unknown): Usage;
  streamUsage: StreamUsageSource;
  readRequestShape(body: Record<string, unknown>, pathModel: string | undefined, pathStreams: boolean): RequestShape;
}
