import { describe, expect, it } from 'vitest';
import { parseDuration } from './parse-duration.js';

describe('parseDuration', () => {
  it.each([
    ['6m0s', 360_000],
    ['1.5s', 1_500],
    ['12ms', 12],
    ['1h2m3.5s', 3_723_500],
    ['0s', 0],
    ['0.479s', 479],
    ['38.3s', 38_300],
    ['1h2m', 3_720_000],
    ['34.074824224s', 34_075],
    ['1m30.5s', 90_500],
    ['500us', 1],
    ['.5s', 500],
    [' 20s ', 20_000],
    ['38', 38_000],
    ['0', 0],
  ])('reads %j as %i ms', (text, milliseconds) => {
    expect(parseDuration(text)).toBe(milliseconds);
  });

  it.each(['', '   ', 'soon', '5 minutes', '1x', '6m0', 'ms', 's', '-5s', '1h 2m', '6m0s!', '1d', 'NaN', '1e3s'])(
    'refuses %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});
