import { describe } from 'vitest';
import { day, minute, now, nowSeconds, resetTable } from './testing/reset-cases.js';

describe('merging signals', () => {
  resetTable({
    'nothing said: no reset, no quota': { until: undefined, quota: false },
    'the latest reset wins, and any quota makes it quota': {
      headers: {
        'retry-after': '60',
        'anthropic-ratelimit-unified-status': 'rejected',
        'anthropic-ratelimit-unified-reset': String(nowSeconds + 1_800),
      },
      until: now + 30 * minute,
      quota: true,
    },
    'a quota without a reset keeps the throttle reset': {
      provider: 'openai',
      headers: { 'retry-after': '20' },
      body: { error: { type: 'insufficient_quota', code: 'insufficient_quota', message: 'x' } },
      until: now + 20_000,
      quota: true,
    },
    'resets in the past are ignored': {
      headers: {
        'retry-after': 'Mon, 23 Nov 2026 09:59:00 GMT',
        'anthropic-ratelimit-unified-status': 'rejected',
        'anthropic-ratelimit-unified-reset': String(nowSeconds - 60),
      },
      until: undefined,
      quota: true,
    },
    'an absurd reset is clamped to 30 days': {
      headers: { 'retry-after': String(365 * 86_400) },
      until: now + 30 * day,
      quota: false,
    },
    'an epoch in milliseconds where seconds belong is clamped too': {
      provider: 'codex',
      body: { error: { type: 'usage_limit_reached', resets_at: now } },
      until: now + 30 * day,
      quota: true,
    },
    'a body that is not JSON is no signal': {
      provider: 'openai',
      body: '<html><body>Too Many Requests</body></html>',
      until: undefined,
      quota: false,
    },
  });
});

describe('each provider reads its own signals', () => {
  resetTable({
    'Anthropic unified headers say nothing on a Gemini answer (retry-after still does)': {
      provider: 'gemini',
      headers: { 'anthropic-ratelimit-unified-status': 'rejected', 'retry-after': '30' },
      until: now + 30_000,
      quota: false,
    },
    'a full Codex window says nothing on an OpenAI answer': {
      provider: 'openai',
      headers: { 'x-codex-primary-used-percent': '100', 'x-codex-primary-reset-after-seconds': '900' },
      until: undefined,
      quota: false,
    },
    "the Codex backend is OpenAI's: OpenAI's x-ratelimit headers and insufficient_quota count there too": {
      provider: 'codex',
      headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s' },
      body: { error: { type: 'insufficient_quota', code: 'insufficient_quota', message: 'x' } },
      until: now + 6 * minute,
      quota: true,
    },
  });
});
