import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/manual-clock.js';
import { createMemoryBucketStateStore } from '../state/bucket-state-store.js';
import { BucketRests } from './bucket-rests.js';

const settings = { restAfterFailures: 3, restMs: 5_000, restMaxMs: 12_000 };

function rests() {
  const clock = new ManualClock(1_000_000);
  const states = createMemoryBucketStateStore();
  return { clock, states, rests: new BucketRests(settings, states, clock) };
}

describe('BucketRests', () => {
  it('rests a bucket on its third failure in a row, and an answer in between starts the count again', () => {
    const { rests: subject, states, clock } = rests();
    expect(subject.failed('anthropic/a', 'http_500')).toBeUndefined();
    subject.answered('anthropic/a');
    expect(subject.failed('anthropic/a', 'http_500')).toBeUndefined();
    expect(subject.failed('anthropic/a', 'network')).toBeUndefined();
    expect(subject.failed('anthropic/a', 'http_503')).toEqual({
      rest: { until: clock.now() + 5_000, reason: 'http_503', failures: 3 },
      began: true,
    });
    expect(states.get('anthropic/a')).toEqual({ status: 'resting', until: clock.now() + 5_000, reason: 'http_503' });
  });

  it('does not lengthen a rest for failures of calls that were already on their way', () => {
    const { rests: subject, clock } = rests();
    for (let failure = 0; failure < 3; failure += 1) subject.failed('anthropic/a', 'http_500');
    const late = subject.failed('anthropic/a', 'http_500');
    expect(late).toEqual({ rest: { until: clock.now() + 5_000, reason: 'http_500', failures: 4 }, began: false });
  });

  it('doubles the rest after each failed probe up to the longest, and an answer clears it', () => {
    const { rests: subject, states, clock } = rests();
    for (let failure = 0; failure < 3; failure += 1) subject.failed('anthropic/a', 'http_500');
    const lengths: number[] = [];
    for (let probe = 0; probe < 3; probe += 1) {
      clock.set(states.get('anthropic/a')!.until!);
      expect(subject.probing('anthropic/a')).toBe(true);
      lengths.push(subject.failed('anthropic/a', 'timeout')!.rest.until - clock.now());
    }
    expect(lengths).toEqual([10_000, 12_000, 12_000]);
    subject.answered('anthropic/a');
    expect(states.get('anthropic/a')).toBeUndefined();
    expect(subject.probing('anthropic/a')).toBe(false);
    expect(subject.failed('anthropic/a', 'http_500')).toBeUndefined();
  });

  it('never rests a bucket when restAfterFailures is 0', () => {
    const clock = new ManualClock(0);
    const states = createMemoryBucketStateStore();
    const subject = new BucketRests({ ...settings, restAfterFailures: 0 }, states, clock);
    for (let failure = 0; failure < 50; failure += 1) expect(subject.failed('anthropic/a', 'http_500')).toBeUndefined();
    expect(states.get('anthropic/a')).toBeUndefined();
  });
});
