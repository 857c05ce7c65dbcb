import type { BucketKey } from '../core/types.js';

/** The first re-check of a bucket needing login comes at most this soon (a fresh login is noticed quickly). */
export const firstLoginRecheckMs = 5_000;
/** However long a bucket stays without a login, it is re-checked at least this often. */
export const longestLoginRecheckMs = 60_000;

/**
 * How long a bucket still needing login waits for its next re-check: up to 5 s after it was found
 * so, doubling with each re-check that finds no login, up to a minute. A chain of 10,000 buckets
 * without a login re-checked every 5 s spent a tenth of the server on reading files that are not
 * there; a login found resets the wait. Each wait is drawn between half and all of that: one walk
 * down a long chain finds thousands of buckets needing login within a second, and re-checks due
 * all at once stalled the server for a second every time they came round.
 */
export class LoginRechecks {
  private readonly waits = new Map<BucketKey, number>();

  /** `random`: a number from 0 up to 1 for each wait (default Math.random). */
  constructor(private readonly random: () => number = Math.random) {}

  /** The wait before the next re-check of `key`, which has just been found needing login. */
  next(key: BucketKey): number {
    const previous = this.waits.get(key);
    const wait = previous === undefined ? firstLoginRecheckMs : Math.min(previous * 2, longestLoginRecheckMs);
    this.waits.set(key, wait);
    return Math.round(wait * (0.5 + 0.5 * this.random()));
  }

  /** The bucket has a credential again: its next loss of login is re-checked soon. */
  found(key: BucketKey): void {
    if (this.waits.size > 0) this.waits.delete(key);
  }
}
