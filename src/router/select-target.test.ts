import { describe, expect, it } from 'vitest';
import { bucketKey } from '../core/types.js';
import type { Chain, Target } from '../profiles/types.js';
import { type BucketStateStore, createMemoryBucketStateStore } from '../state/bucket-state-store.js';
import { TargetSelector } from './select-target.js';

function chainOf(buckets: string[], policy: Chain['policy'] = 'failover', sticky = false): Chain {
  const targets: Target[] = buckets.map((bucket) => ({
    provider: 'anthropic',
    bucket,
    key: bucketKey('anthropic', bucket),
    model: undefined,
    limits: undefined,
    profile: 'test',
  }));
  return { name: 'test', policy, sticky, targets };
}

/** The bucket a new request would try first (its walk's first step, given back at once). */
function firstPick(selector: TargetSelector, chain: Chain, now: number, sessionKey?: string): Target | undefined {
  const walk = selector.walk(chain, sessionKey);
  const target = walk.next(now);
  if (target) walk.finished(target);
  return target;
}

/** A state store that counts its reads: the work selection does. */
function countingStore() {
  const inner = createMemoryBucketStateStore();
  let reads = 0;
  const store: BucketStateStore = {
    get: (key) => {
      reads += 1;
      return inner.get(key);
    },
    set: (key, state) => inner.set(key, state),
    clear: (key) => inner.clear(key),
    entries: () => inner.entries(),
    get version() {
      return inner.version;
    },
    changedSince: (version) => inner.changedSince(version),
  };
  return { store, reads: () => reads };
}

describe('TargetSelector', () => {
  it('takes the first ready bucket in priority order under failover', () => {
    const states = createMemoryBucketStateStore();
    const selector = new TargetSelector(states);
    const chain = chainOf(['a', 'b', 'c']);
    expect(firstPick(selector, chain, 1_000)?.bucket).toBe('a');
    states.set('anthropic/a', { status: 'cooling', until: 5_000 });
    expect(firstPick(selector, chain, 1_000)?.bucket).toBe('b');
  });

  it('returns to the primary once its reset time has passed', () => {
    const states = createMemoryBucketStateStore();
    const selector = new TargetSelector(states);
    const chain = chainOf(['a', 'b']);
    states.set('anthropic/a', { status: 'exhausted', until: 5_000 });
    expect(firstPick(selector, chain, 4_999)?.bucket).toBe('b');
    expect(firstPick(selector, chain, 5_000)?.bucket).toBe('a');
  });

  it('skips buckets this request already tried', () => {
    const selector = new TargetSelector(createMemoryBucketStateStore());
    const walk = selector.walk(chainOf(['a', 'b', 'c']), undefined);
    const picks = [walk.next(0), walk.next(0), walk.next(0), walk.next(0)];
    expect(picks.map((target) => target?.bucket)).toEqual(['a', 'b', 'c', undefined]);
  });

  it('finds the one ready bucket behind 999 cooling ones, and notices new state at once', () => {
    const states = createMemoryBucketStateStore();
    const selector = new TargetSelector(states);
    const names = Array.from({ length: 1_000 }, (_, index) => `b${index}`);
    const chain = chainOf(names);
    for (const name of names.slice(0, 999))
      states.set(bucketKey('anthropic', name), { status: 'cooling', until: 10_000 + names.indexOf(name) });
    expect(firstPick(selector, chain, 0)?.bucket).toBe('b999');
    expect(firstPick(selector, chain, 0)?.bucket).toBe('b999');
    states.set('anthropic/b999', { status: 'cooling', until: 20_000 });
    expect(firstPick(selector, chain, 0)).toBeUndefined();
    // The earliest reset (b0 at 10,000) makes the cached answer stale.
    expect(firstPick(selector, chain, 10_000)?.bucket).toBe('b0');
  });

  it('rotates over ready buckets under round robin', () => {
    const states = createMemoryBucketStateStore();
    const selector = new TargetSelector(states);
    const chain = chainOf(['a', 'b', 'c'], 'roundrobin');
    const picks = Array.from({ length: 6 }, () => firstPick(selector, chain, 0)?.bucket);
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    states.set('anthropic/b', { status: 'cooling', until: 100 });
    const next = Array.from({ length: 4 }, () => firstPick(selector, chain, 0)?.bucket);
    expect(next).toEqual(['a', 'c', 'a', 'c']);
  });

  it('keeps a session on its bucket under sticky round robin, and moves it when the bucket rests', () => {
    const states = createMemoryBucketStateStore();
    const selector = new TargetSelector(states);
    const chain = chainOf(['a', 'b', 'c'], 'roundrobin', true);
    const first = firstPick(selector, chain, 0, 'session-1')?.bucket;
    firstPick(selector, chain, 0, 'session-2');
    expect(firstPick(selector, chain, 0, 'session-1')?.bucket).toBe(first);
    expect(firstPick(selector, chain, 0, 'session-1')?.bucket).toBe(first);
    states.set(bucketKey('anthropic', first!), { status: 'cooling', until: 100 });
    const moved = firstPick(selector, chain, 0, 'session-1')?.bucket;
    expect(moved).not.toBe(first);
    expect(firstPick(selector, chain, 0, 'session-1')?.bucket).toBe(moved);
  });

  it('re-checks a bucket needing login only after its re-check time', () => {
    const states = createMemoryBucketStateStore();
    const selector = new TargetSelector(states);
    const chain = chainOf(['a', 'b']);
    states.set('anthropic/a', { status: 'needs-login', until: 5_000 });
    expect(firstPick(selector, chain, 0)?.bucket).toBe('b');
    expect(firstPick(selector, chain, 5_000)?.bucket).toBe('a');
  });

  it('reads each state at most a few times per request, however long the chain (linear, not per attempt)', () => {
    const readsPerBucket = (length: number) => {
      const { store, reads } = countingStore();
      const selector = new TargetSelector(store);
      const names = Array.from({ length }, (_, index) => `b${index}`);
      const chain = chainOf(names, 'failover');
      // Every bucket is tried and fails (as buckets without a login do): the request walks the whole chain.
      const walk = selector.walk(chain, undefined);
      let tried = 0;
      for (let target = walk.next(0); target; target = walk.next(0)) {
        store.set(target.key, { status: 'needs-login', until: 5_000 });
        walk.finished(target);
        tried += 1;
      }
      expect(tried).toBe(length);
      return reads() / length;
    };
    // Scanning from the top for every attempt read 1,000 and 4,000 states per bucket here.
    expect(readsPerBucket(2_000)).toBeLessThanOrEqual(3);
    expect(readsPerBucket(8_000)).toBeLessThanOrEqual(3);
  });

  it('follows re-checks that come due one after another without rescanning a long chain for each', () => {
    const { store, reads } = countingStore();
    const selector = new TargetSelector(store);
    const length = 10_000;
    const names = Array.from({ length }, (_, index) => `b${index}`);
    const chain = chainOf(names, 'failover');
    // 9,999 buckets needing login whose re-checks come due a millisecond apart, ahead of one ready bucket.
    for (const name of names.slice(0, -1)) {
      store.set(bucketKey('anthropic', name), { status: 'needs-login', until: 10_000 + Number(name.slice(1)) });
    }
    expect(firstPick(selector, chain, 0)?.bucket).toBe(`b${length - 1}`);
    const readsBefore = reads();
    const requests = 2_000;
    for (let request = 0; request < requests; request += 1) {
      // A request each millisecond: it re-checks the one bucket just due (still no login), then the ready one serves.
      const now = 10_000 + request;
      const walk = selector.walk(chain, undefined);
      const tried: string[] = [];
      for (let target = walk.next(now); target; target = walk.next(now)) {
        tried.push(target.bucket);
        walk.finished(target);
        if (target.bucket === `b${length - 1}`) break;
        store.set(target.key, { status: 'needs-login', until: now + 60_000 });
      }
      expect(tried).toEqual([`b${request}`, `b${length - 1}`]);
    }
    // Rescanning the chain after each re-check read about 10,000 states per request here.
    expect((reads() - readsBefore) / requests).toBeLessThanOrEqual(8);
  });

  it('walks a round-robin chain once around, then stops', () => {
    const { store, reads } = countingStore();
    const selector = new TargetSelector(store);
    const names = Array.from({ length: 3_000 }, (_, index) => `b${index}`);
    const walk = selector.walk(chainOf(names, 'roundrobin'), undefined);
    const seen = new Set<string>();
    for (let target = walk.next(0); target; target = walk.next(0)) seen.add(target.bucket);
    expect(seen.size).toBe(3_000);
    expect(reads()).toBeLessThanOrEqual(2 * 3_000);
  });

  it('gives a bucket due for its login re-check to one request at a time; the others pass it by', () => {
    const states = createMemoryBucketStateStore();
    const selector = new TargetSelector(states);
    const chain = chainOf(['a', 'b']);
    states.set('anthropic/a', { status: 'needs-login', until: 5_000 });
    const checking = selector.walk(chain, undefined);
    const checked = checking.next(5_000);
    expect(checked?.bucket).toBe('a');
    // While the first request checks a, another goes straight to b.
    expect(firstPick(selector, chain, 5_000)?.bucket).toBe('b');
    checking.finished(checked!);
    expect(firstPick(selector, chain, 5_000)?.bucket).toBe('a');
  });
});
