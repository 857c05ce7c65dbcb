import { StringDecoder } from 'node:string_decoder';
import type { WireFormat } from '../core/types.js';
import { codecs } from './codecs.js';
import { nextEventEnd, parseEvents } from './server-sent-events.js';

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
      let output = '';
      let position = 0;
      for (;;) {
        const end = nextEventEnd(pending, position);
        if (end === -1) break;
        for (const event of parseEvents(pending.slice(position, end))) {
          for (const internal of decoder.decode(event)) output += encoder.encode(internal);
        }
        position = end;
      }
      pending = pending.slice(position);
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
