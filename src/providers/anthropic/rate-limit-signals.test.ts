import { describe } from 'vitest';
import { day, hour, now, nowSeconds, resetTable } from '../testing/reset-cases.js';

describe('Anthropic unified limits', () => {
  const reset = (offsetSeconds: number) => String(nowSeconds + offsetSeconds);
  resetTable({
    'a rejected 5h window is spent until its reset, an allowed 7d window says nothing': {
      headers: {
        'anthropic-ratelimit-unified-status': 'rejected',
        'anthropic-ratelimit-unified-reset': reset(3_600),
        'anthropic-ratelimit-unified-representative-claim': 'five_hour',
        'anthropic-ratelimit-unified-5h-status': 'rejected',
        'anthropic-ratelimit-unified-5h-reset': reset(3_600),
        'anthropic-ratelimit-unified-5h-utilization': '1.02',
        'anthropic-ratelimit-unified-7d-status': 'allowed',
        'anthropic-ratelimit-unified-7d-reset': reset(5 * 86_400),
        'anthropic-ratelimit-unified-7d-utilization': '0.41',
        'retry-after': '3600',
      },
      until: now + hour,
      quota: true,
    },
    'the latest reset among rejected windows wins': {
      headers: {
        'anthropic-ratelimit-unified-status': 'rejected',
        'anthropic-ratelimit-unified-reset': reset(3_600),
        'anthropic-ratelimit-unified-5h-status': 'rejected',
        'anthropic-ratelimit-unified-5h-reset': reset(3_600),
        'anthropic-ratelimit-unified-7d-status': 'rejected',
        'anthropic-ratelimit-unified-7d-reset': reset(2 * 86_400),
      },
      until: now + 2 * day,
      quota: true,
    },
    'a rejected window is read even when the overall status is not': {
      headers: {
        'anthropic-ratelimit-unified-status': 'allowed_warning',
        'anthropic-ratelimit-unified-7d_opus-status': 'rejected',
        'anthropic-ratelimit-unified-7d_opus-reset': reset(86_400),
      },
      until: now + day,
      quota: true,
    },
    'overage-status allowed is not exhaustion': {
      headers: {
        'anthropic-ratelimit-unified-status': 'allowed_warning',
        'anthropic-ratelimit-unified-reset': reset(7_200),
        'anthropic-ratelimit-unified-overage-status': 'allowed',
        'anthropic-ratelimit-unified-overage-reset': reset(20 * 86_400),
        'anthropic-ratelimit-unified-representative-claim': 'overage',
        'retry-after': '5',
      },
      until: now + 5_000,
      quota: false,
    },
    'a rejected overage window alone is not exhaustion either': {
      headers: {
        'anthropic-ratelimit-unified-status': 'allowed',
        'anthropic-ratelimit-unified-overage-status': 'rejected',
        'anthropic-ratelimit-unified-overage-reset': reset(20 * 86_400),
      },
      until: undefined,
      quota: false,
    },
    'x-should-retry without a unified reset is a momentary throttle': {
      headers: { 'x-should-retry': 'true', 'retry-after': '3', 'anthropic-ratelimit-unified-status': 'allowed' },
      until: now + 3_000,
      quota: false,
    },
    'a rejected status without any reset but with x-should-retry is a throttle': {
      headers: { 'anthropic-ratelimit-unified-status': 'rejected', 'x-should-retry': 'true' },
      until: undefined,
      quota: false,
    },
    'a rejected status without any reset or retry hint is a spent quota of unknown length': {
      headers: { 'anthropic-ratelimit-unified-status': 'rejected', 'x-should-retry': 'false' },
      until: undefined,
      quota: true,
    },
    'API-key limits: the RFC 3339 reset of the limit at zero': {
      headers: {
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': '2026-11-23T10:00:20Z',
        'anthropic-ratelimit-tokens-limit': '40000',
        'anthropic-ratelimit-tokens-remaining': '39000',
        'anthropic-ratelimit-tokens-reset': '2026-11-23T10:00:50Z',
      },
      until: now + 20_000,
      quota: false,
    },
  });
});
