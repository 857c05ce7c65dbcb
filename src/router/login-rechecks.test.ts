import { describe, expect, it } from 'vitest';
import type { BucketKey } from '../core/types.js';
import { firstLoginRecheckMs, LoginRechecks, longestLoginRecheckMs } from './login-rechecks.js';

const keys = Array.from({ length: 1_000 }, (_, index) => `anthropic/b${index}` as BucketKey);

describe('LoginRechecks', () => {
  it('spreads the re-checks of buckets found needing login together, none later than the first re-check time', () => {
    const rechecks = new LoginRechecks();
    const waits = keys.map((key) => rechecks.next(key));
    // All 1,000 at 5 s came due in the same moment.
    expect(new Set(waits).size).toBeGreaterThan(500);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(firstLoginRecheckMs / 2);
    expect(Math.max(...waits)).toBeLessThanOrEqual(firstLoginRecheckMs);
  });

  it('doubles the wait of a bucket that still needs login up to a minute, and starts again once it is found', () => {
    const rechecks = new LoginRechecks(() => 1);
    const key = keys[0]!;
    const waits = Array.from({ length: 7 }, () => rechecks.next(key));
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
    expect(new LoginRechecks(() => 0).next(key)).toBe(firstLoginRecheckMs / 2);
    rechecks.found(key);
    expect(rechecks.next(key)).toBe(firstLoginRecheckMs);
    expect(Math.max(...waits)).toBe(longestLoginRecheckMs);
  });
});
