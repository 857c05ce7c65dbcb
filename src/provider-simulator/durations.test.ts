import { describe, expect, it } from 'vitest';
import { formatGoogleDuration, formatOpenAiDuration } from './durations.js';

describe('duration formats', () => {
  it.each([
    [0.012, '12ms'],
    [0.5, '500ms'],
    [1, '1s'],
    [1.5, '1.5s'],
    [59, '59s'],
    [60, '1m0s'],
    [360, '6m0s'],
    [3723, '1h2m3s'],
  ])('OpenAI form of %s seconds is %s', (seconds, expected) => {
    expect(formatOpenAiDuration(seconds)).toBe(expected);
  });

  it.each([
    [38, '38s'],
    [0.479, '0.479s'],
    [3600, '3600s'],
  ])('Google form of %s seconds is %s', (seconds, expected) => {
    expect(formatGoogleDuration(seconds)).toBe(expected);
  });
});
