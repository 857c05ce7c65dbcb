import { setImmediate } from 'node:timers/promises';

/** Resolves after the event loop has run its pending I/O, timers and signal handlers once. */
export function yieldToEventLoop(): Promise<void> {
  return setImmediate();
}
