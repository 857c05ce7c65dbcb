import { describe } from 'vitest';
import { hour, minute, now, resetTable } from '../testing/reset-cases.js';

describe('Gemini RESOURCE_EXHAUSTED details', () => {
  const body = (reason: string, metadata: Record<string, string>, retryDelay?: string) => ({
    error: {
      code: 429,
      message: 'You have exhausted your capacity on this model. Your quota will reset after 1h2m.',
      status: 'RESOURCE_EXHAUSTED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason,
          domain: 'cloudcode-pa.googleapis.com',
          metadata,
        },
        ...(retryDelay ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }] : []),
      ],
    },
  });
  resetTable({
    'QUOTA_EXHAUSTED is spent; quotaResetDelay outlasts retryDelay': {
      provider: 'gemini',
      body: body('QUOTA_EXHAUSTED', { quotaResetDelay: '1h2m', model: 'gemini-2.5-pro' }, '38s'),
      until: now + 62 * minute,
      quota: true,
    },
    'RATE_LIMIT_EXCEEDED is a throttle for its retryDelay': {
      provider: 'gemini',
      body: body('RATE_LIMIT_EXCEEDED', {}, '0.479s'),
      until: now + 479,
      quota: false,
    },
    'quotaResetDelay with fractions': {
      provider: 'gemini',
      body: body('RATE_LIMIT_EXCEEDED', { quotaResetDelay: '38.3s' }),
      until: now + 38_300,
      quota: false,
    },
    'quotaResetTimeStamp is an ISO time': {
      provider: 'gemini',
      body: body('QUOTA_EXHAUSTED', { quotaResetDelay: '17h', quotaResetTimeStamp: '2026-11-24T03:00:00Z' }),
      until: now + 17 * hour,
      quota: true,
    },
    'a daily QuotaFailure is spent even with a short retryDelay': {
      provider: 'gemini',
      body: {
        error: {
          code: 429,
          message: 'You exceeded your current quota, please check your plan and billing details.',
          status: 'RESOURCE_EXHAUSTED',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
              violations: [
                {
                  quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
                  quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier',
                },
              ],
            },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '22s' },
          ],
        },
      },
      until: now + 22_000,
      quota: true,
    },
    'a per-minute QuotaFailure is a throttle': {
      provider: 'gemini',
      body: {
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
              violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
            },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '38s' },
          ],
        },
      },
      until: now + 38_000,
      quota: false,
    },
  });
});
