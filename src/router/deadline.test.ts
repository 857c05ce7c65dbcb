import { describe, expect, it } from 'vitest';
import { RequestDeadline } from './deadline.js';
import type { Timers } from './timers.js';

/** Timers that fire only when the test says so. */
function manualTimers() {
  const pending = new Map<number, { milliseconds: number; callback: () => void }>();
  let next = 0;
  const timers: Timers = {
    start(milliseconds, callback) {
      const id = next++;
      pending.set(id, { milliseconds, callback });
      return () => pending.delete(id);
    },
  };
  const fire = (milliseconds: number) => {
    for (const [id, timer] of [...pending]) {
      if (timer.milliseconds !== milliseconds) continue;
      pending.delete(id);
      timer.callback();
    }
  };
  return { timers, fire, pending: () => pending.size };
}

describe('request deadline and first-byte timer', () => {
  it('aborts the attempt on the first-byte timeout without ending the request', () => {
    const { timers, fire, pending } = manualTimers();
    const deadline = new RequestDeadline(new AbortController().signal, 1_000, timers);
    const attempt = deadline.firstByte(100);
    fire(100);
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.timedOut).toBe(true);
    expect(deadline.signal.aborted).toBe(false);
    attempt.dispose();
    deadline.dispose();
    expect(pending()).toBe(0);
  });

  it('no longer times an attempt out once its first byte is on the way, but the deadline still ends it', () => {
    const { timers, fire } = manualTimers();
    const deadline = new RequestDeadline(new AbortController().signal, 1_000, timers);
    const attempt = deadline.firstByte(100);
    attempt.reached();
    fire(100);
    expect(attempt.signal.aborted).toBe(false);
    fire(1_000);
    expect(deadline.expired).toBe(true);
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.timedOut).toBe(false);
    attempt.dispose();
    deadline.dispose();
  });

  it('tells a client that left from a deadline that passed', () => {
    const { timers, fire } = manualTimers();
    const client = new AbortController();
    const deadline = new RequestDeadline(client.signal, 1_000, timers);
    const attempt = deadline.firstByte(100);
    client.abort();
    expect(attempt.signal.aborted).toBe(true);
    expect(deadline.clientGone).toBe(true);
    fire(1_000);
    expect(deadline.expired).toBe(false);
    expect(attempt.timedOut).toBe(false);
    attempt.dispose();
    deadline.dispose();
  });

  it('starts already aborted for a client that left before routing began, and lets go of its signal', () => {
    const { timers, pending } = manualTimers();
    const client = new AbortController();
    client.abort();
    const deadline = new RequestDeadline(client.signal, 1_000, timers);
    expect(deadline.signal.aborted).toBe(true);
    deadline.dispose();
    expect(pending()).toBe(0);
  });
});
