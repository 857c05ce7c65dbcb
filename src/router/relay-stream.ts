import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { WireFormat } from '../core/types.js';
import {
  createStreamUsageTracker,
  type ErrorDescription,
  inspectStreamStart,
  renderStreamError,
  type Usage,
} from '../formats/index.js';
import type { StreamTranslator } from '../formats/translate-stream.js';
import { EventFramer } from './event-framer.js';
import { endBody, writeChunk, writeChunks } from './response-writer.js';

export type StreamOutcome =
  /** The stream reached the client and ended normally. */
  | { kind: 'delivered'; usage: Usage }
  /** The stream reached the client, then failed; the client got an error event. */
  | { kind: 'broken'; usage: Usage }
  /** The first real event was an error: nothing reached the client, so the router may fail over. */
  | { kind: 'error-event'; error: unknown }
  /** The stream failed or ended before its first real event. */
  | { kind: 'failed-before-start'; reason: string }
  /** More than the event limit arrived before the first real event: nothing reached the client. */
  | { kind: 'too-large-before-start' };

/** How much of a held chunk is decoded, at least, before the start of the stream is looked at again. */
const inspectedSliceBytes = 4 * 1024;

export interface RelayOptions {
  /** Rewrites the stream into the client's format when the provider speaks another; `format` stays the upstream's. */
  translator?: StreamTranslator | undefined;
  /** Why the stream broke, when the caller knows better (the deadline); undefined: an upstream break. */
  describeBreak?: () => ErrorDescription | undefined;
  /**
   * The most held at once (bytes): before the first real event, everything; after it, the one
   * unfinished event. An upstream past it is broken (config.yaml `routing.eventLimitBytes`).
   */
  eventLimitBytes: number;
}

/**
 * Relays an upstream SSE stream to the client, holding the client's response back until the
 * first real event, so that an error carried inside a 200 stream can still fail over. From then
 * on the client gets whole events only: an upstream cut mid-event loses that event, and the error
 * event that says so stands on its own where every SSE parser sees it.
 */
export function relayStream(
  source: Readable,
  response: ServerResponse,
  format: WireFormat,
  writeHead: () => void,
  { translator, describeBreak = () => undefined, eventLimitBytes }: RelayOptions,
): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    const tracker = createStreamUsageTracker(format);
    const decoder = new StringDecoder('utf8');
    const framer = new EventFramer(eventLimitBytes);
    let held: Buffer[] = [];
    let heldBytes = 0;
    let heldText = '';
    let committed = false;
    let settled = false;
    const settle = (outcome: StreamOutcome) => {
      if (settled) return;
      settled = true;
      response.off('close', onResponseClose);
      resolve(outcome);
    };
    // A client that leaves while the relay waits for 'drain' (the upstream may have finished long
    // before) would leave it waiting forever, with the request's buffers and deadline timer.
    const onResponseClose = () => {
      if (response.writableFinished) return;
      source.destroy();
      settle(
        committed
          ? { kind: 'broken', usage: tracker.result() }
          : { kind: 'failed-before-start', reason: 'the client went away' },
      );
    };
    response.once('close', onResponseClose);

    /** Ends a started stream with an error event, after the last whole event. */
    const breakOff = (error: ErrorDescription) => {
      framer.drop();
      if (!response.destroyed) endBody(response, renderStreamError(translator?.clientFormat ?? format, error));
      settle({ kind: 'broken', usage: tracker.result() });
    };

    /** Ends a started stream whose unfinished event outgrew the limit. */
    const tooLarge = () => {
      source.destroy();
      breakOff({
        status: 502,
        message:
          `The upstream sent a stream event larger than the limit of ${eventLimitBytes} bytes; ` +
          `the answer is incomplete.`,
        code: 'upstream_event_too_large',
      });
    };

    /** Sends the whole events `chunk` completes; false: wait for 'drain' before the next. */
    const send = (chunk: Buffer): boolean => {
      const whole = framer.pushPieces(chunk);
      if (whole === 'too-large') {
        tooLarge();
        return true;
      }
      if (whole.length === 0) return true;
      // Bytes first, bookkeeping after: the usage tracker reads what was sent, and the client
      // should not wait for it (on a short answer it is most of the relay's own work).
      const flowing = translator
        ? writeChunk(
            response,
            whole.length === 1 ? translator.push(whole[0]!) : whole.map((piece) => translator.push(piece)).join(''),
          )
        : writeChunks(response, whole);
      for (const piece of whole) tracker.push(piece);
      return flowing;
    };

    const commit = () => {
      committed = true;
      writeHead();
      let flowing = true;
      for (const chunk of held) if (!settled) flowing = send(chunk) && flowing;
      held = [];
      heldText = '';
      if (!flowing && !settled) waitForDrain();
    };

    const waitForDrain = () => {
      source.pause();
      response.once('drain', () => source.resume());
    };

    source.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (committed) {
        if (!send(chunk) && !settled) waitForDrain();
        return;
      }
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes > eventLimitBytes) {
        // No first event within the limit: a broken upstream (one endless event), which another bucket may replace.
        held = [];
        heldText = '';
        source.destroy();
        settle({ kind: 'too-large-before-start' });
        return;
      }
      // Decoded a slice at a time: the first real event is usually in the first KB of a 64 KB chunk.
      // Slices grow with the held text, so a long first event is looked at a few times, not hundreds.
      for (let offset = 0; offset < chunk.length; ) {
        const size = Math.max(inspectedSliceBytes, heldText.length);
        heldText += decoder.write(offset === 0 && chunk.length <= size ? chunk : chunk.subarray(offset, offset + size));
        offset += size;
        const start = inspectStreamStart(format, heldText);
        if (start.state === 'need-more') continue;
        if (start.state === 'error') {
          source.destroy();
          settle({ kind: 'error-event', error: start.error });
          return;
        }
        commit();
        return;
      }
    });

    source.once('end', () => {
      if (settled) return;
      if (!committed) {
        settle({ kind: 'failed-before-start', reason: 'stream ended before its first event' });
        return;
      }
      // A last event without its blank line still counts: some servers end the stream right after it.
      const rest = framer.rest();
      if (rest === 'too-large') {
        tooLarge();
        return;
      }
      if (rest.length > 0) {
        writeChunk(response, translator ? translator.push(rest) : rest);
        tracker.push(rest);
      }
      endBody(response, translator?.end());
      settle({ kind: 'delivered', usage: tracker.result() });
    });

    source.once('error', (error: Error) => {
      if (settled) return;
      if (!committed) {
        settle({
          kind: 'failed-before-start',
          reason: error.name === 'AbortError' ? 'aborted' : 'stream failed before its first event',
        });
        return;
      }
      breakOff(
        describeBreak() ?? {
          status: 502,
          message: 'The upstream stream broke off after it had started; the answer is incomplete.',
          code: 'upstream_stream_broken',
        },
      );
    });
  });
}
