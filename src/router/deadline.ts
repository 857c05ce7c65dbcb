import { Cancellation, type CancelSignal } from './cancellation.js';
import type { Timers } from './timers.js';

/**
 * One request's overall deadline. Its `signal` aborts when the client goes away or the deadline
 * passes; `clientGone` and `expired` say which, so the router can answer (or stay silent).
 */
export class RequestDeadline {
  private readonly cancellation = new Cancellation();
  private readonly cancelTimer: () => void;
  private readonly releaseClient: () => void;
  private passed = false;

  constructor(
    private readonly clientSignal: CancelSignal,
    readonly milliseconds: number,
    private readonly timers: Timers,
  ) {
    this.cancelTimer = timers.start(milliseconds, () => {
      this.passed = true;
      this.cancellation.abort();
    });
    this.releaseClient = this.cancellation.follow(clientSignal);
  }

  get signal(): CancelSignal {
    return this.cancellation;
  }

  /** The client went away (closed its connection) before the answer was complete. */
  get clientGone(): boolean {
    return this.clientSignal.aborted;
  }

  /** The deadline passed while the client was still waiting. */
  get expired(): boolean {
    return this.passed && !this.clientSignal.aborted;
  }

  /** A timer for one upstream attempt's first byte, inside this deadline. */
  firstByte(milliseconds: number): FirstByteTimer {
    return new FirstByteTimer(this.cancellation, milliseconds, this.timers);
  }

  /** Stops the timer and lets go of the client's signal; call once the request is answered. */
  dispose(): void {
    this.cancelTimer();
    this.releaseClient();
  }
}

/**
 * One attempt's time-to-first-byte: aborts the attempt (not the request) when the upstream has
 * not produced what the client's first byte needs (headers and a whole plain body, or a stream's
 * first real event) in time. After `reached()` only the request's deadline applies.
 */
export class FirstByteTimer {
  private readonly cancellation = new Cancellation();
  private cancelTimer: () => void;
  private readonly releaseRequest: () => void;
  private fired = false;

  constructor(
    private readonly requestSignal: CancelSignal,
    milliseconds: number,
    timers: Timers,
  ) {
    this.cancelTimer = timers.start(milliseconds, () => {
      this.fired = true;
      this.cancellation.abort();
    });
    this.releaseRequest = this.cancellation.follow(requestSignal);
  }

  /** Aborts the upstream call on the first-byte timeout and on the request's own abort. */
  get signal(): CancelSignal {
    return this.cancellation;
  }

  /** The first byte did not come in time (and the request itself was not aborted first). */
  get timedOut(): boolean {
    return this.fired && !this.requestSignal.aborted;
  }

  /** The first byte is on its way to the client: the timeout no longer applies. */
  reached(): void {
    this.cancelTimer();
    this.cancelTimer = noop;
  }

  dispose(): void {
    this.cancelTimer();
    this.releaseRequest();
  }
}

function noop(): void {}
