import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { AnswerTooLargeError } from './answer-too-large.js';
import type { CancelSignal } from './cancellation.js';
import { errors } from './undici-errors.js';

/** A provider's answer: status and headers at once, the body as bytes or as a stream. */
export interface UpstreamAnswer {
  statusCode: number;
  /** Lower-case names; repeated headers as arrays. */
  headers: IncomingHttpHeaders;
  /** The body as a stream, made on first use; destroying it early aborts the upstream request. */
  readonly body: Readable;
  /** The whole body in one buffer, with no stream in between (the plain-answer hot path). */
  bytes(): Promise<Buffer>;
}

/** Kept small: open streams each hold at most this much that the client has not taken yet. */
const streamHighWaterMark = 16 * 1024;

/** How long an upstream may keep silent (before its headers, between chunks), and how much of an answer is held. */
export interface UpstreamLimits {
  headersMs: number;
  bodyMs: number;
  /** Bytes of a body read whole (`bytes()`); past them the request is aborted with AnswerTooLargeError. */
  answerBytes: number;
}

/**
 * Internal: one upstream request's undici handler and the answer it resolves with. It takes the
 * place of undici's `request()`, which per request wraps the handler in an async resource, builds
 * a body stream even for answers read whole, and listens to the signal through its own layers;
 * here a plain answer is collected straight from the parser and a stream exists only when asked.
 */
export class UpstreamResponse implements Dispatcher.DispatchHandler, UpstreamAnswer {
  statusCode = 0;
  headers: IncomingHttpHeaders = {};
  private controller: Dispatcher.DispatchController | undefined;
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  private stream: Readable | undefined;
  private ended = false;
  private failure: Error | undefined;
  private answered = false;
  private waiter: { resolve: (body: Buffer) => void; reject: (error: Error) => void } | undefined;
  private readonly onAbort = () => this.abort(abortReason(this.signal));
  /**
   * The silence limits are plain timers kept here, not undici's: undici gives every request new
   * timer objects that it drops only on its next half-second tick, so under load each request
   * left about 200 bytes to the old generation and RSS climbed between major collections.
   */
  private silenceTimer: NodeJS.Timeout | undefined;
  /** The reader asked for a pause: the upstream is waiting for us, which is not its silence. */
  private paused = false;

  constructor(
    private readonly resolveAnswer: (answer: UpstreamAnswer) => void,
    private readonly rejectAnswer: (error: Error) => void,
    private readonly signal: CancelSignal | undefined,
    private readonly limits: UpstreamLimits,
  ) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get body(): Readable {
    this.stream ??= this.openStream();
    return this.stream;
  }

  bytes(): Promise<Buffer> {
    if (this.stream || this.waiter) return Promise.reject(new Error('The upstream body is already being read.'));
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve(this.takeChunks());
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.signal?.aborted) {
      controller.abort(abortReason(this.signal));
      return;
    }
    this.silenceTimer = this.watchSilence(this.limits.headersMs, () => new errors.HeadersTimeoutError());
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // 1xx: the real answer follows.
    clearTimeout(this.silenceTimer);
    this.silenceTimer = this.watchSilence(this.limits.bodyMs, () => new errors.BodyTimeoutError());
    this.statusCode = statusCode;
    this.headers = headers;
    this.answered = true;
    this.resolveAnswer(this);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.silenceTimer?.refresh();
    if (this.stream) {
      if (!this.stream.push(chunk)) {
        this.paused = true;
        controller.pause();
      }
      return;
    }
    this.chunkBytes += chunk.length;
    // A body that never ends would otherwise be held until a timeout: gigabytes in seconds.
    if (this.chunkBytes > this.limits.answerBytes) {
      this.chunks = [];
      this.abort(new AnswerTooLargeError(this.limits.answerBytes));
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.ended = true;
    this.release();
    if (this.stream) {
      this.stream.push(null);
      return;
    }
    if (this.waiter) {
      this.waiter.resolve(this.takeChunks());
      this.waiter = undefined;
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.fail(error);
  }

  private fail(error: Error): void {
    this.release();
    if (this.failure || this.ended) return;
    this.failure = error;
    if (!this.answered) {
      this.rejectAnswer(error);
      return;
    }
    this.chunks = [];
    if (this.stream) this.stream.destroy(error);
    if (this.waiter) {
      this.waiter.reject(error);
      this.waiter = undefined;
    }
  }

  private abort(reason: Error): void {
    if (this.ended || this.failure) return;
    // Still queued for a connection: fail now; onRequestStart aborts it once it is dispatched.
    if (this.controller) this.controller.abort(reason);
    else this.fail(reason);
  }

  private release(): void {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  /** Aborts the request with `error()` after `milliseconds` without a chunk; 0: no limit. */
  private watchSilence(milliseconds: number, error: () => Error): NodeJS.Timeout | undefined {
    if (milliseconds <= 0) return undefined;
    const timer = setTimeout(() => {
      if (this.paused) timer.refresh();
      else this.abort(error());
    }, milliseconds);
    timer.unref();
    return timer;
  }

  private takeChunks(): Buffer {
    const chunks = this.chunks;
    this.chunks = [];
    this.chunkBytes = 0;
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }

  private openStream(): Readable {
    const stream = new Readable({
      highWaterMark: streamHighWaterMark,
      read: () => {
        if (this.paused) {
          this.paused = false;
          this.silenceTimer?.refresh();
        }
        this.controller?.resume();
      },
      destroy: (error, callback) => {
        // A reader that stops early (an error event, a client gone) frees the upstream request.
        if (!this.ended) this.abort(error ?? new errors.RequestAbortedError());
        callback(error);
      },
    });
    for (const chunk of this.chunks) stream.push(chunk);
    this.chunks = [];
    if (this.failure) {
      const failure = this.failure;
      // Listeners are attached after this getter returns: fail on the next turn, as undici does.
      setImmediate(() => stream.destroy(failure));
    } else if (this.ended) {
      stream.push(null);
    }
    return stream;
  }
}

/** What an aborted signal carries; undici's own error when it carries nothing. */
function abortReason(signal: CancelSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new errors.RequestAbortedError();
}
