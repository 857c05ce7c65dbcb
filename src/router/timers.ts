/** Starts one-shot timers; injected so tests can fire deadlines by hand instead of waiting. */
export interface Timers {
  /** Calls `callback` after `milliseconds`; the returned function cancels it. */
  start(milliseconds: number, callback: () => void): () => void;
}

/** Node's own timers. Left referenced: a timer still pending after its request is a leak tests should see. */
export const systemTimers: Timers = {
  start(milliseconds, callback) {
    const timer = setTimeout(callback, milliseconds);
    return () => clearTimeout(timer);
  },
};
