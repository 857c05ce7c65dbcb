import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/manual-clock.js';
import { TimeSeries } from './time-series.js';

const start = Date.parse('2026-11-23T10:00:30.000Z');

describe('the dashboard time series', () => {
  it('counts per minute and per series, and sums minutes into the day and week points', () => {
    const clock = new ManualClock(start);
    const series = new TimeSeries(clock);
    series.add('bucket', 'anthropic/a', { requests: 1, tokens: 30, errors: 1 });
    series.add('bucket', 'anthropic/a', { failovers: 1 });
    series.add('client', 'alice', { requests: 1, tokens: 30 });
    clock.advance(60_000);
    series.add('bucket', 'anthropic/a', { requests: 2, tokens: 10 });

    const hour = series.view('hour', 'bucket');
    expect(hour.times).toHaveLength(60);
    expect(hour.stepSeconds).toBe(60);
    expect(hour.times.at(-1)).toBe(Date.parse('2026-11-23T10:01:00.000Z') / 1000);
    expect(hour.series).toHaveLength(1);
    expect(hour.series[0]!.name).toBe('anthropic/a');
    expect(hour.series[0]!.requests.slice(-2)).toEqual([1, 2]);
    expect(hour.series[0]!.tokens.slice(-2)).toEqual([30, 10]);
    expect(hour.series[0]!.failovers.slice(-2)).toEqual([1, 0]);
    expect(hour.series[0]!.errors.slice(-2)).toEqual([1, 0]);
    expect(series.view('hour', 'client').series.map((entry) => entry.name)).toEqual(['alice']);

    const day = series.view('day', 'bucket');
    expect(day.times).toHaveLength(144);
    expect(day.series[0]!.requests.at(-1)).toBe(3);
    const week = series.view('week', 'bucket');
    expect(week.times).toHaveLength(168);
    expect(week.series[0]!.tokens.at(-1)).toBe(40);

    // An hour later the first minutes have left the hour, not the day.
    clock.advance(60 * 60_000);
    expect(series.view('hour', 'bucket').series).toEqual([]);
    expect(series.view('day', 'bucket').series[0]!.requests.reduce((sum, count) => sum + count, 0)).toBe(3);
  });

  it('adds what its file or another instance kept, skipping what is malformed or older than a week', () => {
    const clock = new ManualClock(start);
    const first = new TimeSeries(clock);
    first.add('bucket', 'anthropic/a', { requests: 4, tokens: 8 });
    const file = first.toFile();
    const minute = Object.keys(file.minutes)[0]!;
    const second = new TimeSeries(clock);
    second.merge({
      version: 1,
      minutes: {
        ...file.minutes,
        [String(Number(minute) - 8 * 24 * 60)]: { 'bucket:anthropic/old': [1, 1, 1, 1] },
        [String(Number(minute) - 1)]: { 'bucket:anthropic/bad': [1, -1, 0, 0], 'other:x': [1, 1, 1, 1] },
      },
    });
    second.merge('not a series file');
    const view = second.view('week', 'bucket');
    expect(view.series.map((entry) => entry.name)).toEqual(['anthropic/a']);
    expect(view.series[0]!.requests.at(-1)).toBe(4);
    // Another instance's counts of the same minute add up.
    second.merge(file);
    expect(second.view('hour', 'bucket').series[0]!.requests.at(-1)).toBe(8);
  });
});
