import { describe, expect, it } from 'vitest';
import { anthropicQuotaReading } from './quota-headers.js';

// Header sets as Anthropic documents them for subscription (unified) limits.
// @see https://docs.anthropic.com/en/api/rate-limits#response-headers
const everyWindow = {
  'anthropic-ratelimit-unified-status': 'allowed_warning',
  'anthropic-ratelimit-unified-reset': '1764100800',
  'anthropic-ratelimit-unified-5h-status': 'allowed',
  'anthropic-ratelimit-unified-5h-reset': '1764100800',
  'anthropic-ratelimit-unified-5h-utilization': '0.42',
  'anthropic-ratelimit-unified-7d-status': 'allowed_warning',
  'anthropic-ratelimit-unified-7d-reset': '1764547200',
  'anthropic-ratelimit-unified-7d-utilization': '0.81',
  'anthropic-ratelimit-unified-7d_opus-status': 'rejected',
  'anthropic-ratelimit-unified-7d_opus-reset': '1764633600',
  'anthropic-ratelimit-unified-7d_opus-utilization': '1.0',
  'anthropic-ratelimit-unified-representative-claim': 'seven_day',
  'anthropic-ratelimit-unified-fallback-percentage': '0.5',
  'anthropic-ratelimit-unified-overage-status': 'allowed',
  'anthropic-ratelimit-unified-overage-reset': '1766016000',
  'x-should-retry': 'false',
};

describe('anthropicQuotaReading', () => {
  it('reads every window: used share, status, reset, and the model family of a model window', () => {
    const reading = anthropicQuotaReading(everyWindow);
    expect(reading?.windows).toEqual({
      '5h': { used: 0.42, status: 'allowed', resetsAt: 1764100800_000 },
      '7d': { used: 0.81, status: 'allowed_warning', resetsAt: 1764547200_000 },
      '7d_opus': { used: 1, status: 'rejected', resetsAt: 1764633600_000, family: 'opus' },
    });
    expect(reading?.representativeClaim).toBe('seven_day');
  });

  it('keeps the overage window apart: shown, never a window that could read as spent', () => {
    const reading = anthropicQuotaReading(everyWindow);
    expect(reading?.overage).toEqual({ status: 'allowed', resetsAt: 1766016000_000 });
    expect(Object.keys(reading?.windows ?? {})).not.toContain('overage');
  });

  it('reads an account billed on overage that sends only the overall reset and the overage', () => {
    const reading = anthropicQuotaReading({
      'anthropic-ratelimit-unified-reset': '1764100800',
      'anthropic-ratelimit-unified-overage-status': 'allowed',
      'anthropic-ratelimit-unified-overage-reset': '1766016000',
    });
    expect(reading).toEqual({ windows: {}, overage: { status: 'allowed', resetsAt: 1766016000_000 } });
  });

  it('reads a Sonnet window as limiting the sonnet family, and a status-only window without a share', () => {
    const reading = anthropicQuotaReading({
      'anthropic-ratelimit-unified-7d_sonnet-status': 'allowed',
      'anthropic-ratelimit-unified-5h-status': 'rejected',
      'anthropic-ratelimit-unified-5h-reset': '1764100800',
    });
    expect(reading?.windows).toEqual({
      '7d_sonnet': { status: 'allowed', family: 'sonnet' },
      '5h': { status: 'rejected', resetsAt: 1764100800_000 },
    });
  });

  it('says nothing for an answer without unified headers (an API key, a bare 429)', () => {
    expect(anthropicQuotaReading({ 'x-should-retry': 'true', 'retry-after': '3' })).toBeUndefined();
  });
});
