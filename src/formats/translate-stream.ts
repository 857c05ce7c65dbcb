import { StringDecoder } from 'node:string_decoder';
import type { WireFormat } from '../core/types.js';
import { codecs } from './codecs.js';
import { parseEvents } from './server-sent-events.js';

/** Rewrites an upstream SSE stream into the client's format, event by event, as chunks arrive. */
export interface StreamTranslator {
  /** The client's format, for errors the relay itself writes into the stream. */
  readonly clientFormat: WireFormat;
  /** The client's text for this upstream chunk: every event completed by it, translated. */
  push(chunk: Buffer): string;
  /** What is still owed when the upstream stream ends. */
  end(): string;
}

/** A translator from `upstreamFormat` events to `clientFormat` events; only a partial event is ever held. */
export function createStreamTranslator(
  upstreamFormat: WireFormat,
  clientFormat: WireFormat,
  createdSeconds: number,
): StreamTranslator {
  const decoder = codecs[upstreamFormat].createStreamDecoder();
  const encoder = codecs[clientFormat].createStreamEncoder(createdSeconds);
  const text = new StringDecoder('utf8');
  let pending = '';
  return {
    clientFormat,
    push(chunk: Buffer): string {
      pending += text.write(chunk);
      // Every event the chunk completes is read in one pass (a 64 KB chunk holds hundreds).
      const end = lastEventEnd(pending);
      if (end === -1) return '';
      let output = '';
      for (const event of parseEvents(end === pending.length ? pending : pending.slice(0, end))) {
        for (const internal of decoder.decode(event)) output += encoder.encode(internal);
      }
      pending = pending.slice(end);
      return output;
    },
    end(): string {
      let output = '';
      // A last event without its blank line still counts: some servers end the stream right after it.
      const rest = pending + text.end();
      pending = '';
      if (rest.trim() !== '')
        for (const event of parseEvents(rest))
          for (const internal of decoder.decode(event)) output += encoder.encode(internal);
      for (const internal of decoder.end()) output += encoder.encode(internal);
      return output + encoder.end();
    },
  };
}

/**
 * Index just past the last blank line (LF or CRLF) in `text`, or -1. The CRLF search runs only
 * after the last LF one: searched back from the end, it would read an LF stream's chunk whole.
 */
function lastEventEnd(text: string): number {
  const lineFeed = text.lastIndexOf('\n\n');
  if (lineFeed === -1) {
    const carriageReturn = text.lastIndexOf('\r\n\r\n');
    return carriageReturn === -1 ? -1 : carriageReturn + 4;
  }
  let end = lineFeed + 2;
  for (let at = text.indexOf('\r\n\r\n', lineFeed); at !== -1; at = text.indexOf('\r\n\r\n', at + 1)) end = at + 4;
  return end;
}
