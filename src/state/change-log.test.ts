import { describe, expect, it } from 'vitest';
import { createMemoryBucketStateStore } from './bucket-state-store.js';
import { ChangeLog } from './change-log.js';

describe('ChangeLog', () => {
  it('names the keys changed since a version, oldest first, while it still holds them', () => {
    const log = new ChangeLog<string>(3);
    const start = log.version;
    log.record('a');
    log.record('b');
    expect(log.since(start)).toEqual(['a', 'b']);
    expect(log.since(log.version)).toEqual([]);
    log.record('c');
    log.record('d');
    // Four changes since `start`, three kept: a reader that far behind must start afresh.
    expect(log.since(start)).toBeUndefined();
    expect(log.since(start + 1)).toEqual(['b', 'c', 'd']);
  });

  it('is what the memory state store says changed since a version', () => {
    const states = createMemoryBucketStateStore();
    const version = states.version;
    states.set('anthropic/a', { status: 'needs-login', until: 5_000 });
    states.clear('anthropic/b');
    states.clear('anthropic/a');
    expect(states.changedSince(version)).toEqual(['anthropic/a', 'anthropic/a']);
    expect(states.version).toBe(version + 2);
  });
});
