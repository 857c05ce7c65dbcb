import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventJson, parseEvents } from './server-sent-events.js';
import type { ServerSentEvent } from './types.js';

/** The rules written the plain way: events split at blank lines, lines at LF or CRLF. */
function referenceEvents(text: string): ServerSentEvent[] {
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

describe('parseEvents', () => {
  it('reads named events, joins data lines, skips comments and unknown fields, with LF or CRLF', () => {
    const text =
      'event: message_start\ndata: {"a":1}\n\n: keep-alive\n\ndata: ' +
      'one\r\ndata:two\r\nid: 7\r\n\r\ndata\n\nevent: ping\n\nretry: 5\n\n';
    expect(parseEvents(text)).toEqual([
      { event: 'message_start', data: '{"a":1}' },
      { event: undefined, data: 'one\ntwo' },
      { event: undefined, data: '' },
      { event: 'ping', data: '' },
    ]);
  });

  it('keeps the last event of text that does not end with a blank line, and a lone CR as part of a value', () => {
    expect(parseEvents('data: [DONE]')).toEqual([{ event: undefined, data: '[DONE]' }]);
    expect(parseEvents('data: a\r')).toEqual([{ event: undefined, data: 'a\r' }]);
    expect(parseEvents('')).toEqual([]);
  });

  it('reads any text as the plain split-based rules do', () => {
    const piece = fc.constantFrom(
      'data',
      'event',
      'id',
      ':',
      ': ',
      ' ',
      'x',
      '{"k":1}',
      '\n',
      '\r',
      '\r\n',
      '\n\n',
      '\r\n\r\n',
      'é',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(parseEvents(text)).toEqual(referenceEvents(text));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('eventJson', () => {
  it('parses object data once for two looks at the same event, and nothing else', () => {
    const event = { event: 'x', data: ' {"type":"ok"} ' };
    const first = eventJson(event);
    expect(first).toEqual({ type: 'ok' });
    expect(eventJson(event)).toBe(first);
    expect(eventJson({ event: undefined, data: '[DONE]' })).toBeUndefined();
    expect(eventJson({ event: undefined, data: '{not json' })).toBeUndefined();
    expect(eventJson({ event: undefined, data: '{"type":"other"}' })).toEqual({ type: 'other' });
    expect(eventJson(event)).toEqual({ type: 'ok' });
  });
});
