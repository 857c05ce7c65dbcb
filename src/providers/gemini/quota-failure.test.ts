import { describe, expect, it } from 'vitest';
import { readErrorBody } from '../../formats/error-body.js';
import { geminiQuotaReading } from './quota-failure.js';

const now = Date.parse('2026-11-23T10:00:00Z');

/** A 429 RESOURCE_EXHAUSTED as Google documents it (https://cloud.google.com/apis/design/errors#error_details). */
function exhausted(quotaIds: string[], retryDelay: string): string {
  return JSON.stringify({
    error: {
      code: 429,
      message: 'You exceeded your current quota.',
      status: 'RESOURCE_EXHAUSTED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: quotaIds.map((quotaId) => ({
            quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
            quotaId,
            quotaDimensions: { location: 'global', model: 'gemini-2.5-pro' },
            quotaValue: '50',
          })),
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay },
      ],
    },
  });
}

describe('geminiQuotaReading', () => {
  it('reads a per-day quota as a spent 1d window until RetryInfo says', () => {
    const reading = geminiQuotaReading(
      readErrorBody(exhausted(['GenerateRequestsPerDayPerProjectPerModel-FreeTier'], '38s')),
      now,
    );
    expect(reading?.windows).toEqual({ '1d': { used: 1, status: 'rejected', resetsAt: now + 38_000 } });
  });

  it('reads a per-minute quota as the 1min window', () => {
    const reading = geminiQuotaReading(
      readErrorBody(exhausted(['GenerateRequestsPerMinutePerProjectPerModel-FreeTier'], '0.479s')),
      now,
    );
    expect(reading?.windows).toEqual({ '1min': { used: 1, status: 'rejected', resetsAt: now + 479 } });
  });

  it('says nothing without a QuotaFailure', () => {
    const body = JSON.stringify({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'slow down' } });
    expect(geminiQuotaReading(readErrorBody(body), now)).toBeUndefined();
  });
});
