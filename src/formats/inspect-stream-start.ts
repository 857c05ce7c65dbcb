import { nextEventEnd, parseEvents } from './server-sent-events.js';
import type { StartEventVerdict, ServerSentEvent, StreamStart } from './types.js';

/**
 * Internal: walks the complete events at the start of a stream, one at a time (a first chunk
 * holding hundreds of events costs one parse), until `classify` finds a real one or an error.
 */
export function inspectEvents(bufferedText: string, classify: (event: ServerSentEvent) => StartEventVerdict): StreamStart {
  // A byte-order mark may open a stream (the SSE spec drops it).
  let position = bufferedText.startsWith('\uFEFF') ? 1 : 0;
  for (;;) {
    const end = nextEventEnd(bufferedText, position);
    if (end === -1) return { state: 'need-more' };
    for (const event of parseEvents(bufferedText.slice(position, end))) {
      const verdict = classify(event);
      if (verdict.kind === 'ok') return { state: 'ok' };
      if (verdict.kind === 'error') return { state: 'error', error: verdict.error };
    }
    position = end;
  }
}
