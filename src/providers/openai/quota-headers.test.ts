import { describe, expect, it } from 'vitest';
import { openaiQuotaReading } from './quota-headers.js';

const now = Date.parse('2026-11-23T10:00:00Z');

// Headers as OpenAI documents them: https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
describe('openaiQuotaReading', () => {
  it('reads the used share and the reset (a Go duration) of requests and tokens', () => {
    const reading = openaiQuotaReading(
      {
        'x-ratelimit-limit-requests': '60',
        'x-ratelimit-limit-tokens': '150000',
        'x-ratelimit-remaining-requests': '59',
        'x-ratelimit-remaining-tokens': '9000',
        'x-ratelimit-reset-requests': '1s',
        'x-ratelimit-reset-tokens': '6m0s',
      },
      now,
    );
    expect(reading?.windows.requests?.used).toBeCloseTo(1 / 60);
    expect(reading?.windows.requests?.status).toBe('allowed');
    expect(reading?.windows.requests?.resetsAt).toBe(now + 1_000);
    expect(reading?.windows.tokens?.used).toBeCloseTo(0.94);
    expect(reading?.windows.tokens?.status).toBe('allowed_warning');
    expect(reading?.windows.tokens?.resetsAt).toBe(now + 360_000);
  });

  it('reads nothing left as rejected', () => {
    const reading = openaiQuotaReading(
      {
        'x-ratelimit-limit-requests': '500',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '12ms',
      },
      now,
    );
    expect(reading?.windows).toEqual({ requests: { used: 1, status: 'rejected', resetsAt: now + 12 } });
  });

  it('says nothing without the limit headers', () => {
    expect(openaiQuotaReading({ 'x-ratelimit-reset-requests': '1s' }, now)).toBeUndefined();
  });
});
