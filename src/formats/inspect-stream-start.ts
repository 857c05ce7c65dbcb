import { parseJson } from '../core/json.js';
import { eventJson, nextEventEnd, parseEvents } from './server-sent-events.js';
import type { ServerSentEvent, StartEventVerdict, StreamStart } from './types.js';

/**
 * Internal: walks the complete events at the start of a stream, one at a time (a first chunk
 * holding hundreds of events costs one parse), until `classify` finds a real one or an error.
 */
export function inspectEvents(
  bufferedText: string,
  classify: (event: ServerSentEvent) => StartEventVerdict,
): StreamStart {
  // A byte-order mark may open a stream (the SSE spec drops it).
  let position = bufferedText.startsWith('\uFEFF') ? 1 : 0;
  for (;;) {
    const end = nextEventEnd(bufferedText, position);
    if (end === -1) return { state: 'need-more' };
    for (const event of parseEvents(bufferedText.slice(position, end))) {
      const verdict = classify(event);
      // A first event whose JSON does not parse is a broken upstream: fail over rather than pass it on.
      if (verdict.kind === 'ok') return isReadable(event) ? { state: 'ok' } : { state: 'error', error: event.data };
      if (verdict.kind === 'error') return { state: 'error', error: verdict.error };
    }
    position = end;
  }
}

/**
 * Data a client can read: empty, the `[DONE]` marker, or JSON that parses (objects parsed once, shared with classify).
 */
function isReadable(event: ServerSentEvent): boolean {
  const data = event.data.trim();
  if (data === '' || data === '[DONE]') return true;
  return data.startsWith('{') ? eventJson(event) !== undefined : parseJson(data) !== undefined;
}
