import { isRecord, parseJson } from './json-fields.js';
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
 * Parses the events of complete SSE text (up to an event boundary). Comment lines and blocks
 * with neither `event` nor `data` yield nothing; several `data` lines are joined by LF.
 */
export function parseEvents(text: string): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let event: string | undefined;
    let data: string | undefined;
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
    }
    if (event !== undefined || data !== undefined) events.push({ event, data: data ?? '' });
  }
  return events;
}

/** Parsed event data, so that looking at one event twice parses it once. */
const parsedEvents = new WeakMap<ServerSentEvent, Record<string, unknown> | undefined>();

/** The event's data as a JSON object; undefined when it is not one (e.g. `[DONE]`). */
export function eventJson(event: ServerSentEvent): Record<string, unknown> | undefined {
  const data = event.data.trim();
  if (!data.startsWith('{')) return undefined;
  if (parsedEvents.has(event)) return parsedEvents.get(event);
  const parsed = parseJson(data);
  const json = isRecord(parsed) ? parsed : undefined;
  parsedEvents.set(event, json);
  return json;
}

/** One SSE event as text, with an `event:` line when named. */
export function formatEvent(name: string | undefined, data: unknown): string {
  return `${name === undefined ? '' : `event: ${name}\n`}data: ${JSON.stringify(data)}\n\n`;
}
