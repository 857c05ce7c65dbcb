import type { ServerSentEvent } from './types.js';

/** Index just past the last complete event (blank line, LF or CRLF), or -1 when none is complete. */
export function endOfCompleteEvents(text: string): number {
  const lf = text.lastIndexOf('\n\n');
  const crlf = text.lastIndexOf('\r\n\r\n');
  if (lf === -1 && crlf === -1) return -1;
  return lf + 2 > crlf + 4 ? lf + 2 : crlf + 4;
}

/** Index just past the next event boundary at or after `from`, or -1. */
export function nextEventEnd(text: string, from: number): number {
  const lf = text.indexOf('\n\n', from);
  const crlf = text.indexOf('\r\n\r\n', from);
  if (lf === -1) return crlf === -1 ? -1 : crlf + 4;
  if (crlf === -1) return lf + 2;
  return Math.min(lf + 2, crlf + 4);
}

/** Parses complete events (text that ends at an event boundary); comments yield no event. */
export function parseEvents(text: string): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    if (block.trim() === '') continue;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (event === undefined && data.length === 0) continue;
    events.push({ event, data: data.join('\n') });
  }
  return events;
}

/** JSON of an event's data, or undefined when it is not JSON (e.g. `[DONE]`). */
export function eventJson(event: ServerSentEvent): Record<string, unknown> | undefined {
  const data = event.data.trim();
  if (!data.startsWith('{')) return undefined;
  try {
    return JSON.parse(data) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export function sseEvent(name: string | undefined, data: unknown): string {
  return `${name === undefined ? '' : `event: ${name}\n`}data: ${JSON.stringify(data)}\n\n`;
}
