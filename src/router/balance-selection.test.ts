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

describe('balance at the end of the pool, every bucket past its threshold', () => {
  /** Two readings of a bucket's 5-hour window, one answer apart, so balance learns what one answer costs. */
  function readTwice(
    quota: MemoryQuotaStore,
    balance: BalanceSelection,
    key: BucketKey,
    reading: {
      used: number;
      capacity: number;
      resetsAt: number;
      now: number;
    },
  ) {
    const { used, capacity, resetsAt, now } = reading;
    const all = [target(key.slice('anthropic/'.length))];
    quota.record(key, { windows: { '5h': { used: used - 1 / capacity, status: 'allowed_warning', resetsAt } } }, now);
    balance.pick(all, undefined, now, options);
    quota.record(key, { windows: { '5h': { used, status: 'allowed_warning', resetsAt } } }, now + 1);
    balance.pick(all, undefined, now + 1, options);
  }

  it('counts answers left, not shares: 14 answers of a big bucket beat 3 of a small one that resets sooner', () => {
    const quota = new MemoryQuotaStore();
    const balance = new BalanceSelection(quota);
    const now = 1_000_000;
    readTwice(quota, balance, 'anthropic/big', { used: 0.986, capacity: 1000, resetsAt: now + 4 * hour, now });
    readTwice(quota, balance, 'anthropic/small', { used: 0.995, capacity: 600, resetsAt: now + 2 * hour, now });
    expect(balance.pick([target('big'), target('small')], undefined, now + 2, options)?.bucket).toBe('big');
  });

  it('counts the requests in flight: 5 answers left with 5 on their way lose to 3 left with none', () => {
    const quota = new MemoryQuotaStore();
    const balance = new BalanceSelection(quota);
    const now = 1_000_000;
    readTwice(quota, balance, 'anthropic/busy', { used: 0.995, capacity: 1000, resetsAt: now + hour, now });
    readTwice(quota, balance, 'anthropic/idle', { used: 0.997, capacity: 1000, resetsAt: now + 2 * hour, now });
    const both = [target('busy'), target('idle')];
    expect(balance.pick(both, undefined, now + 2, options)?.bucket).toBe('busy');
    for (let request = 0; request < 5; request += 1) balance.sent('anthropic/busy' as BucketKey);
    expect(balance.pick(both, undefined, now + 2, options)?.bucket).toBe('idle');
    // Their attempts over (their cost now in the readings), the busy bucket counts as it reads again.
    for (let request = 0; request < 5; request += 1) balance.settled('anthropic/busy' as BucketKey);
    expect(balance.pick(both, undefined, now + 2, options)?.bucket).toBe('busy');
  });
});
