import { describe, expect, it } from 'vitest';
import { Cancellation } from './cancellation.js';

describe('Cancellation', () => {
  it('aborts once, with its reason, calling each listener once in order', () => {
    const cancellation = new Cancellation();
    const calls: string[] = [];
    cancellation.addEventListener('abort', () => calls.push('first'));
    cancellation.addEventListener('abort', () => calls.push('second'));
    const reason = new Error('gone');
    cancellation.abort(reason);
    cancellation.abort(new Error('again'));
    expect(calls).toEqual(['first', 'second']);
    expect(cancellation.aborted).toBe(true);
    expect(cancellation.reason).toBe(reason);
  });

  it('does not call a listener that was removed, or one added after the abort', () => {
    const cancellation = new Cancellation();
    const calls: string[] = [];
    const removed = () => calls.push('removed');
    cancellation.addEventListener('abort', removed);
    cancellation.removeEventListener('abort', removed);
    cancellation.abort();
    cancellation.addEventListener('abort', () => calls.push('late'));
    expect(calls).toEqual([]);
  });

  it('follows a parent (a DOM AbortSignal too) until let go', () => {
    const parent = new AbortController();
    const following = new Cancellation();
    following.follow(parent.signal);
    parent.abort();
    expect(following.aborted).toBe(true);
    expect(following.reason).toBe(parent.signal.reason);

    const other = new Cancellation();
    const child = new Cancellation();
    const letGo = child.follow(other);
    letGo();
    other.abort();
    expect(child.aborted).toBe(false);
  });

  it('starts aborted when it follows a parent that already is', () => {
    const parent = new Cancellation();
    parent.abort('reason');
    const child = new Cancellation();
    child.follow(parent)();
    expect(child.aborted).toBe(true);
    expect(child.reason).toBe('reason');
  });

  it('keeps the order listeners were added in, through removals, and removes each exactly once', () => {
    const cancellation = new Cancellation();
    const calls: string[] = [];
    const listener = (name: string) => (): void => {
      calls.push(name);
    };
    const [a, b, c, d] = [listener('a'), listener('b'), listener('c'), listener('d')];
    cancellation.addEventListener('abort', a);
    cancellation.addEventListener('abort', b);
    cancellation.addEventListener('abort', c);
    // The first is removed: a listener added now must still run after b and c.
    cancellation.removeEventListener('abort', a);
    cancellation.addEventListener('abort', d);
    cancellation.removeEventListener('abort', b);
    cancellation.removeEventListener('abort', b);
    cancellation.abort();
    expect(calls).toEqual(['c', 'd']);
  });
});
