import type { WireFormat } from '../core/types.js';
import * as anthropicMessages from './anthropic-messages/index.js';
import { trackUsageAtEdges } from './edge-usage-tracker.js';
import * as gemini from './gemini/index.js';
import { inspectEvents } from './inspect-stream-start.js';
import * as openaiChat from './openai-chat/index.js';
import * as openaiResponses from './openai-responses/index.js';
import { trackStreamUsage } from './stream-usage-tracker.js';
import type {
  ErrorDescription,
  RequestShape,
  StreamStart,
  StreamUsageTracker,
  Usage,
  WireFormatHelpers,
} from './types.js';
import { usageAtEnd } from './usage-at-end.js';

/** Each format folder exports the same names; the type check keeps them in step. */
const helpers: Readonly<Record<WireFormat, WireFormatHelpers>> = {
  'anthropic-messages': anthropicMessages,
  'openai-chat': openaiChat,
  'openai-responses': openaiResponses,
  gemini,
};

/** The error body in the caller's own format, as a JSON string. */
export function renderError(format: WireFormat, error: ErrorDescription): string {
  return helpers[format].renderError(error);
}

/** An SSE error event in the caller's format, ending a stream that already started. */
export function renderStreamError(format: WireFormat, error: ErrorDescription): string {
  return helpers[format].renderStreamError(error);
}

/**
 * Looks at the held start of a stream: 'need-more' until the first real event is complete,
 * passing over comments, keep-alives and envelopes that carry no output.
 */
export function inspectStreamStart(format: WireFormat, bufferedText: string): StreamStart {
  return inspectEvents(bufferedText, helpers[format].classifyStartEvent);
}

/** Formats whose answers are one JSON object with a top-level `usage` (Gemini's root may be an array). */
const usageAtEndFormats: ReadonlySet<WireFormat> = new Set(['anthropic-messages', 'openai-chat', 'openai-responses']);

/**
 * Usage from a complete non-streaming body (zeros when absent or unparsable). Given the bytes, it
 * parses only the `usage` member where the answer ends with it, and the whole answer otherwise.
 */
export function readUsage(format: WireFormat, body: string | Buffer): Usage {
  if (typeof body === 'string') return helpers[format].readUsage(body);
  const usage = usageAtEndFormats.has(format) ? usageAtEnd(body) : undefined;
  return helpers[format].readUsage(usage ?? body.toString('utf8'));
}

/** Usage of a complete answer already parsed; zeros where absent. */
export function usageOfAnswer(format: WireFormat, parsed: unknown): Usage {
  return helpers[format].usageOfAnswer(parsed);
}

/** Keeps the usage a stream reports, parsing only the events that carry it. */
export function createStreamUsageTracker(format: WireFormat): StreamUsageTracker {
  return trackUsageAtEdges(trackStreamUsage(helpers[format].streamUsage));
}

/** Model and streaming of a parsed request; Gemini names both in the path. */
export function readRequestShape(
  format: WireFormat,
  body: Record<string, unknown>,
  pathModel: string | undefined,
  pathStreams: boolean,
): RequestShape {
  return helpers[format].readRequestShape(body, pathModel, pathStreams);
}
