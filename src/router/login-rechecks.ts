import type { BucketKey } from '../core/types.js';

/** The first re-check of a bucket needing login comes this soon (a fresh login is noticed quickly). */
export const firstLoginRecheckMs = 5_000;
/** However long a bucket stays without a login, it is re-checked at least this often. */
export const longestLoginRecheckMs = 60_000;

/**
 * How long a bucket still needing login waits for its next re-check: 5 s after it was found so,
 * doubling with each re-check that finds no login, up to a minute. A chain of 10,000 buckets
 * without a login re-checked every 5 s spent a tenth of the server on reading files that are not
 * there; a login found resets the wait.
 */
export class LoginRechecks {
  private readonly waits = new Map<BucketKey, number>();

  /** The wait before the next re-check of `key`, which has just been found needing login. */
  next(key: BucketKey): number {
    const previous = this.waits.get(key);
    const wait = previous === undefined ? firstLoginRecheckMs : Math.min(previous * 2, longestLoginRecheckMs);
    this.waits.set(key, wait);
    return wait;
  }

  /** The bucket has a credential again: its next loss of login is re-checked soon. */
  found(key: BucketKey): void {
    if (this.waits.size > 0) this.waits.delete(key);
  }
}
