import { describe, expect, it } from 'vitest';
import { bucketKey } from '../core/types.js';
import type { Chain, Target } from '../profiles/types.js';
import { createMemoryBucketStateStore } from '../state/bucket-state-store.js';
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

describe('TargetSelector', () => {
  it('takes the first ready bucket in priority order under failover', () => {
    const states = createMemoryBucketStateStore();
    const selector = new TargetSelector(states);
    const chain = chainOf(['a', 'b', 'c']);
    expect(selector.select(chain, 1_000, [], undefined)?.bucket).toBe('a');
    states.set('anthropic/a', { status: 'cooling', until: 5_000 });
    expect(selector.select(chain, 1_000, [], undefined)?.bucket).toBe('b');
  });

  it('returns to the primary once its reset time has passed', () => {
    const states = createMemoryBucketStateStore();
    const selector = new TargetSelector(states);
    const chain = chainOf(['a', 'b']);
    states.set('anthropic/a', { status: 'exhausted', until: 5_000 });
    expect(selector.select(chain, 4_999, [], undefined)?.bucket).toBe('b');
    expect(selector.select(chain, 5_000, [], undefined)?.bucket).toBe('a');
  });

  it('skips buckets this request already tried', () => {
    const selector = new TargetSelector(createMemoryBucketStateStore());
    const chain = chainOf(['a', 'b', 'c']);
    expect(selector.select(chain, 0, ['anthropic/a', 'anthropic/b'], undefined)?.bucket).toBe('c');
    expect(selector.select(chain, 0, ['anthropic/a', 'anthropic/b', 'anthropic/c'], undefined)).toBeUndefined();
  });

  it('finds the one ready bucket behind 999 cooling ones, and notices new state at once', () => {
    const states = createMemoryBucketStateStore();
    const selector = new TargetSelector(states);
    const names = Array.from({ length: 1_000 }, (_, index) => `b${index}`);
    const chain = chainOf(names);
    for (const name of names.slice(0, 999))
      states.set(bucketKey('anthropic', name), { status: 'cooling', until: 10_000 + names.indexOf(name) });
    expect(selector.select(chain, 0, [], undefined)?.bucket).toBe('b999');
    expect(selector.select(chain, 0, [], undefined)?.bucket).toBe('b999');
    states.set('anthropic/b999', { status: 'cooling', until: 20_000 });
    expect(selector.select(chain, 0, [], undefined)).toBeUndefined();
    // The earliest reset (b0 at 10,000) makes the cached answer stale.
    expect(selector.select(chain, 10_000, [], undefined)?.bucket).toBe('b0');
  });

  it('rotates over ready buckets under round robin', () => {
    const states = createMemoryBucketStateStore();
    const selector = new TargetSelector(states);
    const chain = chainOf(['a', 'b', 'c'], 'roundrobin');
    const picks = Array.from({ length: 6 }, () => selector.select(chain, 0, [], undefined)?.bucket);
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    states.set('anthropic/b', { status: 'cooling', until: 100 });
    const next = Array.from({ length: 4 }, () => selector.select(chain, 0, [], undefined)?.bucket);
    expect(next).toEqual(['a', 'c', 'a', 'c']);
  });

  it('keeps a session on its bucket under sticky round robin, and moves it when the bucket rests', () => {
    const states = createMemoryBucketStateStore();
    const selector = new TargetSelector(states);
    const chain = chainOf(['a', 'b', 'c'], 'roundrobin', true);
    const first = selector.select(chain, 0, [], 'session-1')?.bucket;
    selector.select(chain, 0, [], 'session-2');
    expect(selector.select(chain, 0, [], 'session-1')?.bucket).toBe(first);
    expect(selector.select(chain, 0, [], 'session-1')?.bucket).toBe(first);
    states.set(bucketKey('anthropic', first!), { status: 'cooling', until: 100 });
    const moved = selector.select(chain, 0, [], 'session-1')?.bucket;
    expect(moved).not.toBe(first);
    expect(selector.select(chain, 0, [], 'session-1')?.bucket).toBe(moved);
  });

  it('re-checks a bucket needing login only after its re-check time', () => {
    const states = createMemoryBucketStateStore();
    const selector = new TargetSelector(states);
    const chain = chainOf(['a', 'b']);
    states.set('anthropic/a', { status: 'needs-login', until: 5_000 });
    expect(selector.select(chain, 0, [], undefined)?.bucket).toBe('b');
    expect(selector.select(chain, 5_000, [], undefined)?.bucket).toBe('a');
  });
});
