import type { AnswerText } from '../answer-text.js';
import type { PromptCacheCounts } from '../prompt-cache.js';
import type { RateLimitStyle, SimulatedFormat } from '../types.js';

/** Everything an ok answer is built from; one per request. */
export interface AnswerContext {
  /** A fresh id; each format adds its own prefix. */
  id: string;
  model: string;
  inputTokens: number;
  /** Of inputTokens, those written to or read from the prompt cache (Anthropic, when the request marks a prefix). */
  promptCache?: PromptCacheCounts | undefined;
  answer: AnswerText;
  /** Unix seconds. */
  createdSeconds: number;
  /** Chat: `stream_options.include_usage` asked for a final usage chunk. */
  includeUsage: boolean;
  /** Gemini Code Assist: every answer (and stream chunk) is wrapped as `{"response": ...}`. */
  codeAssist: boolean;
  /** Set when the answer calls a tool instead of writing text. */
  toolCall?: ToolCall;
}

/** A tool call the simulator answers with. */
export interface ToolCall {
  /** A fresh call id without prefix; each format adds its own (`toolu_`, `call_`). */
  id: string;
  name: string;
  /** The arguments object as JSON text. */
  argumentsJson: string;
  /** The same text in a few pieces, for streams that deliver arguments incrementally. */
  pieces: string[];
}

/**
 * A stream as serialized SSE frames, one event each. Split in three so that `holdOpenMs` can
 * pause after the head and first delta, and `stream-cut` can count events.
 */
export interface StreamFrames {
  head: string[];
  deltas: string[];
  tail: string[];
}

/** What went wrong, in words every format maps to its own error type. */
export type FailureKind =
  | 'invalid-request'
  | 'authentication'
  | 'permission'
  | 'not-found'
  | 'payment'
  | 'server'
  | 'overloaded';

export interface RateLimitDetails {
  style: RateLimitStyle;
  resetSeconds: number;
  quota: boolean;
  /** Unix seconds when the limit resets, from the simulator's clock. */
  resetAtSeconds: number;
}

/** One wire format's answers: ok (plain and streamed), errors, 429 bodies, in-stream errors. */
export interface FormatAnswers {
  readonly format: SimulatedFormat;
  json(context: AnswerContext): unknown;
  stream(context: AnswerContext): StreamFrames;
  error(status: number, kind: FailureKind, message: string): unknown;
  rateLimitError(details: RateLimitDetails): unknown;
  /** The first (and only) event of a `stream-error` step. */
  streamError(errorType: string | undefined): string;
}
