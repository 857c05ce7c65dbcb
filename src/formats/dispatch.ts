import type { WireFormat } from '../core/types.js';
import { anthropicMessages } from './anthropic-messages/index.js';
import { gemini } from './gemini/index.js';
import { openaiChat } from './openai-chat/index.js';
import { openaiResponses } from './openai-responses/index.js';
import { nextEventEnd, parseEvents } from './server-sent-events.js';
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

/**
 * Looks at the held start of a stream: 'need-more' until the first real event is complete.
 * Events are parsed one at a time, so a first chunk holding hundreds of events costs one.
 */
export function inspectStreamStart(format: WireFormat, bufferedText: string): StreamStart {
  const codec = codecs[format];
  let position = 0;
  for (;;) {
    const end = nextEventEnd(bufferedText, position);
    if (end === -1) return { state: 'need-more' };
    for (const event of parseEvents(bufferedText.slice(position, end))) {
      const verdict = codec.isErrorEvent(event);
      if (!verdict.real) continue;
      return verdict.error === undefined ? { state: 'ok' } : { state: 'error', error: verdict.error };
    }
    position = end;
  }
}

/** Usage from a complete non-streaming body (zeros when absent or unparsable). */
export function readUsage(format: WireFormat, body: string): Usage {
  return codecs[format].readUsage(body);
}

/** Longest incomplete event kept while scanning for usage; larger ones cannot carry usage we read. */
const maximumPendingBytes = 1 << 20;
const lineFeeds = Buffer.from('\n\n');
const carriageReturns = Buffer.from('\r\n\r\n');

/** Index just past the last complete event in a buffer, or -1. */
function endOfCompleteEventsIn(chunk: Buffer): number {
  const lf = chunk.lastIndexOf(lineFeeds);
  const crlf = chunk.lastIndexOf(carriageReturns);
  if (lf === -1 && crlf === -1) return -1;
  return lf + 2 > crlf + 4 ? lf + 2 : crlf + 4;
}

/**
 * Keeps the usage a stream reports. Event boundaries and the format's usage marker are found
 * with native buffer searches; only blocks that contain the marker are decoded and parsed, so a
 * 1,000-event stream costs two byte searches per chunk.
 */
export function createStreamUsageTracker(format: WireFormat): StreamUsageTracker {
  const codec = codecs[format];
  const marker = Buffer.from(codec.usageMarker);
  const usage: Usage = { inputTokens: 0, outputTokens: 0 };
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  return {
    push(chunk: Buffer) {
      // Chunks usually end on an event boundary, so joining with a held partial event is rare.
      const joined = pending.length === 0 ? chunk : Buffer.concat([...pending, chunk]);
      const end = endOfCompleteEventsIn(joined);
      if (end === -1) {
        pendingBytes = joined.length;
        pending = pendingBytes > maximumPendingBytes ? [] : [joined];
        if (pending.length === 0) pendingBytes = 0;
        return;
      }
      const complete = joined.subarray(0, end);
      const rest = joined.subarray(end);
      pending = rest.length > 0 ? [rest] : [];
      pendingBytes = rest.length;
      // Decode only the events that contain the marker, not the whole block.
      let found = complete.indexOf(marker);
      while (found !== -1) {
        const previousLf = complete.lastIndexOf(lineFeeds, found);
        const previousCrlf = complete.lastIndexOf(carriageReturns, found);
        const start = Math.max(previousLf === -1 ? 0 : previousLf + 2, previousCrlf === -1 ? 0 : previousCrlf + 4);
        const lf = complete.indexOf(lineFeeds, found);
        const crlf = complete.indexOf(carriageReturns, found);
        const stop = lf === -1 ? (crlf === -1 ? complete.length : crlf + 4) : crlf === -1 ? lf + 2 : Math.min(lf + 2, crlf + 4);
        for (const event of parseEvents(complete.subarray(start, stop).toString('utf8'))) codec.applyStreamUsage(event, usage);
        found = complete.indexOf(marker, stop);
      }
    },
    result: () => ({ ...usage }),
  };
}

/** Model and streaming of a parsed request; Gemini names both in the path. */
export function readRequestShape(format: WireFormat, body: Record<string, unknown>, pathModel: string | undefined, pathStreams: boolean): RequestShape {
  if (format === 'gemini') return { model: pathModel, stream: pathStreams };
  return { model: typeof body.model === 'string' ? body.model : undefined, stream: body.stream === true };
}
