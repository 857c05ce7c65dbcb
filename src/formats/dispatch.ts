import type { WireFormat } from '../core/types.js';
import { anthropicMessages } from './anthropic-messages/index.js';
import { gemini } from './gemini/index.js';
import { openaiChat } from './openai-chat/index.js';
import { openaiResponses } from './openai-responses/index.js';
import { endOfCompleteEvents, parseEvents } from './server-sent-events.js';
import type { ErrorDescription, FormatCodec, RequestShape, StreamStart, StreamUsageTracker, Usage } from './types.js';

export const codecs: Record<WireFormat, FormatCodec> = {
  'anthropic-messages': anthropicMessages,
  'openai-chat': openaiChat,
  'openai-responses': openaiResponses,
  gemini,
};

/** The error body in the caller's own format, as a JSON string. */
export function renderError(format: WireFormat, error: ErrorDescription): string {
  return codecs[format].renderError(error);
}

/** An SSE error event in the caller's format, ending a stream that already started. */
export function renderStreamError(format: WireFormat, error: ErrorDescription): string {
  return codecs[format].renderStreamError(error);
}

/** Looks at the held start of a stream: 'need-more' until the first real event is complete. */
export function inspectStreamStart(format: WireFormat, bufferedText: string): StreamStart {
  const end = endOfCompleteEvents(bufferedText);
  if (end === -1) return { state: 'need-more' };
  const codec = codecs[format];
  for (const event of parseEvents(bufferedText.slice(0, end))) {
    const verdict = codec.isErrorEvent(event);
    if (!verdict.real) continue;
    return verdict.error === undefined ? { state: 'ok' } : { state: 'error', error: verdict.error };
  }
  return { state: 'need-more' };
}

/** Usage from a complete non-streaming body (zeros when absent or unparsable). */
export function readUsage(format: WireFormat, body: string): Usage {
  return codecs[format].readUsage(body);
}

/** Longest incomplete event kept while scanning for usage; larger ones cannot carry usage we read. */
const maximumPendingCharacters = 1 << 20;

/**
 * Keeps the usage a stream reports. Only blocks of complete events that contain the format's
 * usage marker are parsed, so a 1,000-event stream costs one substring search per chunk.
 */
export function createStreamUsageTracker(format: WireFormat): StreamUsageTracker {
  const codec = codecs[format];
  const usage: Usage = { inputTokens: 0, outputTokens: 0 };
  let pending = '';
  return {
    push(chunk: Buffer) {
      // latin1 never fails on split multi-byte characters; usage fields are ASCII.
      const text = pending + chunk.toString('latin1');
      const end = endOfCompleteEvents(text);
      if (end === -1) {
        pending = text.length > maximumPendingCharacters ? '' : text;
        return;
      }
      pending = text.slice(end);
      const complete = end === text.length ? text : text.slice(0, end);
      if (!complete.includes(codec.usageMarker)) return;
      for (const event of parseEvents(complete)) if (event.data.includes(codec.usageMarker) || event.event?.includes(codec.usageMarker)) codec.applyStreamUsage(event, usage);
    },
    result: () => ({ ...usage }),
  };
}

/** Model and streaming of a parsed request; Gemini names both in the path. */
export function readRequestShape(format: WireFormat, body: Record<string, unknown>, pathModel: string | undefined, pathStreams: boolean): RequestShape {
  if (format === 'gemini') return { model: pathModel, stream: pathStreams };
  return { model: typeof body.model === 'string' ? body.model : undefined, stream: body.stream === true };
}
