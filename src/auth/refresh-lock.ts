import type { ProviderName } from '../core/types.js';

/** Runs one refresh of a bucket at a time; implementations decide how wide "at a time" reaches. */
export interface RefreshLock {
  withLock<T>(provider: ProviderName, bucket: string, fn: () => Promise<T>): Promise<T>;
}

/** A lock that only serialises within this process (memory stores, tests). */
export function createInProcessRefreshLock(): RefreshLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async withLock(provider, bucket, fn) {
      const key = `${provider}/${bucket}`;
      const previous = tails.get(key) ?? Promise.resolve();
      const run = previous.then(fn, fn);
      // The next holder waits for this one to settle, whatever its outcome.
      const tail = run.catch(() => undefined);
      tails.set(key, tail);
      try {
        return await run;
      } finally {
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
  };
}
