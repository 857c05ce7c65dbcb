import { describe, expect, it } from 'vitest';
import { WarmUp } from './warm-up.js';

describe('WarmUp', () => {
  it('runs nothing during its pause, then every task one after the other, in the order given', async () => {
    const warmUp = new WarmUp(60_000);
    const ran: string[] = [];
    const first = warmUp.add(async () => {
      ran.push('first starts');
      await new Promise((resolve) => setTimeout(resolve, 20));
      ran.push('first ends');
      return 1;
    });
    const failing = warmUp.add(() => Promise.reject(new Error('cannot load')));
    const second = warmUp.add(async () => {
      ran.push('second');
      return 2;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ran).toEqual([]);
    await warmUp.finish();
    expect(ran).toEqual(['first starts', 'first ends', 'second']);
    expect(await first).toBe(1);
    await expect(failing).rejects.toThrow('cannot load');
    expect(await second).toBe(2);
  });

  it('starts on its own once the pause has passed', async () => {
    const warmUp = new WarmUp(10);
    expect(await warmUp.add(async () => 'done')).toBe('done');
  });
});
