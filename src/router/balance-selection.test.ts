import { describe, expect, it } from 'vitest';
import type { BucketKey } from '../core/types.js';
import type { Target } from '../profiles/types.js';
import { MemoryQuotaStore } from '../state/quota-store.js';
import { BalanceSelection } from './balance-selection.js';

function target(bucket: string): Target {
  return {
    provider: 'anthropic',
    bucket,
    key: `anthropic/${bucket}` as BucketKey,
    model: 'claude-sonnet-4-6',
    limits: undefined,
    profile: 'pool',
  };
}

const hour = 3_600_000;
const options = { threshold: undefined, reserve: 0 };

describe('balance: the share one answer costs', () => {
  it('is not read from a jump across a reset: a bucket whose window renewed takes new sessions again', () => {
    const quota = new MemoryQuotaStore();
    const balance = new BalanceSelection(quota);
    const [fresh, busy] = [target('fresh'), target('busy')];
    let now = 1_000_000;
    const read = (key: BucketKey, used: number, resetsAt: number) =>
      quota.record(key, { windows: { '5h': { used, status: 'allowed', resetsAt } } }, now);
    // `fresh` was last seen at 0 % in a window that has ended; then its next one reads 86 % used.
    read(fresh.key, 0, now + 1000);
    read(busy.key, 0.5, now + 5 * hour);
    balance.working(fresh.key, 'one');
    balance.pick([fresh, busy], undefined, now, options);
    now += 2000;
    read(fresh.key, 0.86, now + 2 * hour);
    read(busy.key, 0.51, now + 5 * hour);
    balance.pick([fresh, busy], undefined, now, options);
    // Its 5-hour window resets: 0 % used, while `busy` is half spent. Had the jump from 0 to 0.86
    // been taken for one answer's cost, the one session working on `fresh` would be expected to
    // spend 4 x 0.86 of it, and new sessions would avoid the emptiest bucket.
    now += 2 * hour;
    read(fresh.key, 0.01, now + 5 * hour);
    expect(balance.pick([fresh, busy], undefined, now, options)?.bucket).toBe('fresh');
  });
});
