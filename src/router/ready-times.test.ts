import { describe, expect, it } from 'vitest';
import { ReadyTimes } from './ready-times.js';

/** The answer by looking at every position: what the tree must agree with. */
function scan(times: number[], start: number, now: number): number {
  for (let position = start; position < times.length; position += 1) if (times[position]! <= now) return position;
  return times.length;
}

describe('ReadyTimes', () => {
  it('finds the first position ready at a time as a scan of every position does, through changes', () => {
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % below;
    };
    for (const length of [1, 2, 3, 5, 64, 100, 1_000]) {
      const times = Array.from({ length }, () => random(100));
      const ready = new ReadyTimes(length);
      for (const [position, time] of times.entries()) ready.set(position, time);
      for (let step = 0; step < 2_000; step += 1) {
        if (step % 3 === 0) {
          const position = random(length);
          const time = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, random(100)][random(3)]!;
          times[position] = time;
          ready.set(position, time);
        }
        const start = random(length + 2);
        const now = random(110) - 5;
        expect(ready.firstReady(start, now)).toBe(scan(times, start, now));
      }
    }
  });
});
