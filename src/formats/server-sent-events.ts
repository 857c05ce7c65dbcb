import { isRecord, parseJson } from '../core/json.js';
import type { ServerSentEvent } from './types.js';

/** Internal: just enough of the SSE protocol to read whole events and to write one. */

/** Index just past the next blank line (LF or CRLF) at or after `from`, or -1 when there is none yet. */
export function nextEventEnd(text: string, from: number): number {
  const lf = text.indexOf('\n\n', from);
  // Bounded to the LF candidate so that an LF-only stream is not scanned to its end for CRLF.
  const crlfSearch = lf === -1 ? text : text.slice(0, lf + 2);
  const crlf = crlfSearch.indexOf('\r\n\r\n', from);
  if (lf === -1) return crlf === -1 ? -1 : crlf + 4;
  if (crlf === -1) return lf + 2;
  return Math.min(lf + 2, crlf + 4);
}

/**
 * Parses the events of complete SSE text (up to an event boundary). Lines end with LF or CRLF;
 * a blank line ends an event. Comment lines and events with neither `event` nor `data` yield
 * nothing; several `data` lines are joined by LF. One pass with `indexOf`: every streamed answer
 * goes through here (its first events, and the ones carrying usage), so it avoids regular
 * expressions and the intermediate arrays of splitting.
 */
export function parseEvents(text: string): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  let event: string | undefined;
  let data: string | undefined;
  let start = 0;
  while (start <= text.length) {
    const lineFeed = text.indexOf('\n', start);
    const next = lineFeed === -1 ? text.length : lineFeed;
    const end = next > start && text.charCodeAt(next - 1) === carriageReturn && lineFeed !== -1 ? next - 1 : next;
    if (end === start) {
      // A blank line (or the end of the text): the event so far is complete.
      if (event !== undefined || data !== undefined) events.push({ event, data: data ?? '' });
      event = undefined;
      data = undefined;
    } else if (text.charCodeAt(start) !== colon) {
      const separator = text.indexOf(':', start);
      const field = separator === -1 || separator >= end ? text.slice(start, end) : text.slice(start, separator);
      if (field === 'event' || field === 'data') {
        let valueStart = separator === -1 || separator >= end ? end : separator + 1;
        if (text.charCodeAt(valueStart) === space && valueStart < end) valueStart++;
        const value = text.slice(valueStart, end);
        if (field === 'event') event = value;
        else data = data === undefined ? value : `${data}\n${value}`;
      }
    }
    if (lineFeed === -1) break;
    start = lineFeed + 1;
  }
  if (event !== undefined || data !== undefined) events.push({ event, data: data ?? '' });
  return events;
}

const carriageReturn = 0x0d;
const colon = 0x3a;
const space = 0x20;

/**
 * The last event parsed and its JSON: a stream's start is classified and then checked for
 * readability, two looks at one event, which parse it once. One slot, not a WeakMap keyed by
 * event: entering and dropping thousands of keys per second cost more than the parse it saved.
 */
let lastEvent: ServerSentEvent | undefined;
let lastJson: Record<string, unknown> | undefined;

/** The event's data as a JSON object; undefined when it is not one (e.g. `[DONE]`). */
export function eventJson(event: ServerSentEvent): Record<string, unknown> | undefined {
  if (event === lastEvent) return lastJson;
  const data = event.data.trim();
  if (!data.startsWith('{')) return undefined;
  const parsed = parseJson(data);
  lastEvent = event;
  lastJson = isRecord(parsed) ? parsed : undefined;
  return lastJson;
}

/** One SSE event as text, with an `event:` line when named. */
export function formatEvent(name: string | undefined, data: unknown): string {
  return `${name === undefined ? '' : `event: ${name}\n`}data: ${JSON.stringify(data)}\n\n`;
}
