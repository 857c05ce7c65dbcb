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
  /** The unfinished event's bytes: decoded only once it is complete, so never cut inside a character. */
  let held: Buffer[] = [];
  let heldBytes = 0;
  const translate = (text: string): string => {
    let output = '';
    for (const event of parseEvents(text)) {
      for (const internal of decoder.decode(event)) output += encoder.encode(internal);
    }
    return output;
  };
  return {
    clientFormat,
    push(chunk: Buffer): string {
      // Every event the chunk completes is found with one native byte search and read in one pass.
      const end = lastEventEnd(chunk) ?? jointEventEnd(held, chunk);
      if (end === -1) {
        held.push(chunk);
        heldBytes += chunk.length;
        return '';
      }
      const complete =
        heldBytes === 0 ? chunk.subarray(0, end) : Buffer.concat([...held, chunk.subarray(0, end)], heldBytes + end);
      held = end < chunk.length ? [chunk.subarray(end)] : [];
      heldBytes = chunk.length - end;
      return translate(complete.toString('utf8'));
    },
    end(): string {
      let output = '';
      // A last event without its blank line still counts: some servers end the stream right after it.
      const rest = Buffer.concat(held, heldBytes).toString('utf8');
      held = [];
      heldBytes = 0;
      if (rest.trim() !== '') output += translate(rest);
      for (const internal of decoder.end()) output += encoder.encode(internal);
      return output + encoder.end();
    },
  };
}

const lineFeedEnd = Buffer.from('\n\n');
const carriageReturnEnd = Buffer.from('\r\n\r\n');

/**
 * Index just past the last blank line (LF or CRLF) in `bytes`, or -1. The CRLF search runs only
 * after the last LF one: searched back from the end, it would read an LF stream's chunk whole.
 */
function lastEventEnd(bytes: Buffer): number | undefined {
  const lineFeed = bytes.lastIndexOf(lineFeedEnd);
  if (lineFeed === -1) {
    const carriageReturn = bytes.lastIndexOf(carriageReturnEnd);
    return carriageReturn === -1 ? undefined : carriageReturn + 4;
  }
  let end = lineFeed + 2;
  for (let at = bytes.indexOf(carriageReturnEnd, lineFeed); at !== -1; at = bytes.indexOf(carriageReturnEnd, at + 1))
    end = at + 4;
  return end;
}

/** Where in `chunk` a blank line begun in the held bytes ends; -1 when none does. */
function jointEventEnd(held: readonly Buffer[], chunk: Buffer): number {
  if (held.length === 0) return -1;
  const pieces: Buffer[] = [];
  for (let index = held.length - 1, needed = 3; index >= 0 && needed > 0; index--) {
    const piece = held[index]!.subarray(-needed);
    pieces.unshift(piece);
    needed -= piece.length;
  }
  const tail = Buffer.concat(pieces);
  const end = lastEventEnd(Buffer.concat([tail, chunk.subarray(0, 3)]));
  return end !== undefined && end > tail.length ? end - tail.length : -1;
}
