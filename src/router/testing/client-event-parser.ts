/** One event as a browser's EventSource dispatches it. */
export interface DispatchedEvent {
  event: string;
  data: string;
}

/**
 * Internal (tests): server-sent events read the way a client does, by the WHATWG algorithm, not
 * by switchyard's own reader: lines end with CRLF, LF or CR; a blank line dispatches the event
 * (when it has data); an event the stream ends before its blank line is never dispatched.
 */
export function dispatchedEvents(text: string): DispatchedEvent[] {
  const events: DispatchedEvent[] = [];
  let event = '';
  let data: string[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  // The text after the last line ending is an unfinished line: the stream ended inside it.
  lines.pop();
  for (const line of lines) {
    if (line === '') {
      if (data.length > 0) events.push({ event: event === '' ? 'message' : event, data: data.join('\n') });
      event = '';
      data = [];
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return events;
}
