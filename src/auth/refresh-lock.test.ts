import { describe, expect, it } from 'vitest';
import { createInProcessRefreshLock } from './refresh-lock.js';

describe('in-process refresh lock', () => {
  it('runs one holder per bucket at a time and keeps going after a failure', async () => {
    const lock = createInProcessRefreshLock();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = lock.withLock('anthropic', 'a', async () => {
      order.push('first:start');
      await gate;
      order.push('first:end');
      throw new Error('first failed');
    });
    const second = lock.withLock('anthropic', 'a', async () => {
      order.push('second');
      return 2;
    });
    const other = lock.withLock('anthropic', 'b', async () => {
      order.push('other bucket');
      return 3;
    });
    expect(await other).toBe(3);
    release();
    await expect(first).rejects.toThrow('first failed');
    expect(await second).toBe(2);
    expect(order).toEqual(['first:start', 'other bucket', 'first:end', 'second']);
  });
});
