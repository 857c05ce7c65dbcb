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
import { endBody, writeChunk } from './response-writer.js';

export type StreamOutcome =
  /** The stream reached the client and ended normally. */
  | { kind: 'delivered'; usage: Usage }
  /** The stream reached the client, then failed; the client got an error event. */
  | { kind: 'broken'; usage: Usage }
  /** The first real event was an error: nothing reached the client, so the router may fail over. */
  | { kind: 'error-event'; error: unknown }
  /** The stream failed or ended before its first real event. */
  | { kind: 'failed-before-start'; reason: string };

/** Beyond this much held text without a real event, stop holding and relay as is. */
const maximumHeldCharacters = 1 << 20;
/** How much of a held chunk is decoded, at least, before the start of the stream is looked at again. */
const inspectedSliceBytes = 4 * 1024;

/**
 * Relays an upstream SSE stream to the client, holding the client's response back until the
 * first real event, so that an error carried inside a 200 stream can still fail over.
 */
export function relayStream(
  source: Readable,
  response: ServerResponse,
  format: WireFormat,
  writeHead: () => void,
  /** Rewrites the stream into the client's format when the provider speaks another; `format` stays the upstream's. */
  translator?: StreamTranslator,
  /** Why the stream broke, when the caller knows better (the deadline); undefined: an upstream break. */
  describeBreak: () => ErrorDescription | undefined = () => undefined,
): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    const tracker = createStreamUsageTracker(format);
    const decoder = new StringDecoder('utf8');
    let held: Buffer[] = [];
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

    const commit = () => {
      committed = true;
      writeHead();
      // Bytes first, bookkeeping after: the usage tracker reads what was sent, and the client
      // should not wait for it (on a short answer it is most of the relay's own work).
      for (const chunk of held) writeChunk(response, translator ? translator.push(chunk) : chunk);
      for (const chunk of held) tracker.push(chunk);
      held = [];
      heldText = '';
    };

    const forward = (chunk: Buffer) => {
      const flowing = writeChunk(response, translator ? translator.push(chunk) : chunk);
      tracker.push(chunk);
      if (!flowing) {
        source.pause();
        response.once('drain', () => source.resume());
      }
    };

    source.on('data', (chunk: Buffer) => {
      if (committed) {
        forward(chunk);
        return;
      }
      held.push(chunk);
      // Decoded a slice at a time: the first real event is usually in the first KB of a 64 KB chunk.
      // Slices grow with the held text, so a long first event is looked at a few times, not hundreds.
      for (let offset = 0; offset < chunk.length; ) {
        const size = Math.max(inspectedSliceBytes, heldText.length);
        heldText += decoder.write(offset === 0 && chunk.length <= size ? chunk : chunk.subarray(offset, offset + size));
        offset += size;
        const start =
          heldText.length > maximumHeldCharacters ? ({ state: 'ok' } as const) : inspectStreamStart(format, heldText);
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
      if (!committed) {
        settle({ kind: 'failed-before-start', reason: 'stream ended before its first event' });
        return;
      }
      endBody(response, translator?.end());
      settle({ kind: 'delivered', usage: tracker.result() });
    });

    source.once('error', (error: Error) => {
      if (!committed) {
        settle({
          kind: 'failed-before-start',
          reason: error.name === 'AbortError' ? 'aborted' : 'stream failed before its first event',
        });
        return;
      }
      if (!response.destroyed) {
        endBody(
          response,
          renderStreamError(
            translator?.clientFormat ?? format,
            describeBreak() ?? {
              status: 502,
              message: 'The upstream stream broke off after it had started; the answer is incomplete.',
              code: 'upstream_stream_broken',
            },
          ),
        );
      }
      settle({ kind: 'broken', usage: tracker.result() });
    });
  });
}
