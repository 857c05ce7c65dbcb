import { describe, expect, it } from 'vitest';
import type { ProviderName } from '../core/types.js';
import { readResetTime } from './reset-time.js';
import type { HeaderBag } from './upstream-answer.js';

const now = Date.parse('2026-11-23T10:00:00.000Z');
const nowSeconds = now / 1000;
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

interface Case {
  provider?: ProviderName;
  headers?: HeaderBag;
  body?: unknown;
  until: number | undefined;
  quota: boolean;
}

function read({ provider = 'anthropic', headers = {}, body }: Case) {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return readResetTime({ provider, status: 429, headers, body: text, now });
}

function table(cases: Record<string, Case>) {
  it.each(Object.entries(cases))('%s', (_name, testCase) => {
    expect(read(testCase)).toEqual({ until: testCase.until, quota: testCase.quota });
  });
}

describe('retry-after', () => {
  table({
    'reads delay seconds': { headers: { 'retry-after': '30' }, until: now + 30_000, quota: false },
    'reads an IMF-fixdate HTTP date': { headers: { 'retry-after': 'Mon, 23 Nov 2026 10:01:30 GMT' }, until: now + 90_000, quota: false },
    'reads the obsolete RFC 850 date': { headers: { 'retry-after': 'Monday, 23-Nov-26 10:01:30 GMT' }, until: now + 90_000, quota: false },
    'reads the asctime date as GMT': { headers: { 'retry-after': 'Mon Nov 23 10:01:30 2026' }, until: now + 90_000, quota: false },
    'prefers retry-after-ms': { headers: { 'retry-after-ms': '1500', 'retry-after': '2' }, until: now + 1_500, quota: false },
    'ignores a date Date.parse would guess at': { headers: { 'retry-after': 'tomorrow 10am' }, until: undefined, quota: false },
    'ignores garbage': { headers: { 'retry-after': 'soon' }, until: undefined, quota: false },
    'reads the first of repeated headers': { headers: { 'retry-after': ['12', '99'] }, until: now + 12_000, quota: false },
  });
});

describe('Anthropic unified limits', () => {
  const reset = (offsetSeconds: number) => String(nowSeconds + offsetSeconds);
  table({
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

describe('OpenAI x-ratelimit durations', () => {
  const base = { 'x-ratelimit-limit-requests': '500', 'x-ratelimit-limit-tokens': '30000', 'x-ratelimit-reset-requests': '6m0s', 'x-ratelimit-reset-tokens': '12ms' };
  table({
    'requests at zero: the requests reset (6m0s is six minutes, not 6)': {
      provider: 'openai',
      headers: { ...base, 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-remaining-tokens': '29000' },
      until: now + 6 * minute,
      quota: false,
    },
    'tokens at zero: the tokens reset': {
      provider: 'openai',
      headers: { ...base, 'x-ratelimit-remaining-requests': '499', 'x-ratelimit-remaining-tokens': '0' },
      until: now + 12,
      quota: false,
    },
    'neither at zero: the larger reset': {
      provider: 'openai',
      headers: { ...base, 'x-ratelimit-remaining-requests': '3', 'x-ratelimit-remaining-tokens': '20' },
      until: now + 6 * minute,
      quota: false,
    },
    'both at zero: the larger reset': {
      provider: 'openai',
      headers: { ...base, 'x-ratelimit-reset-requests': '1.5s', 'x-ratelimit-reset-tokens': '1h2m3.5s', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-remaining-tokens': '0' },
      until: now + 3_723_500,
      quota: false,
    },
    'an unparsable duration is no signal': {
      provider: 'openai',
      headers: { 'x-ratelimit-reset-requests': 'later', 'x-ratelimit-remaining-requests': '0' },
      until: undefined,
      quota: false,
    },
    'insufficient_quota is billing: spent, with no reset': {
      provider: 'openai',
      body: { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } },
      until: undefined,
      quota: true,
    },
  });
});

describe('Codex usage windows', () => {
  table({
    'a full primary window is spent until its reset; a weekly window below 100 % says nothing': {
      provider: 'codex',
      headers: {
        'x-codex-primary-used-percent': '100',
        'x-codex-primary-window-minutes': '300',
        'x-codex-primary-reset-after-seconds': '900',
        'x-codex-secondary-used-percent': '41',
        'x-codex-secondary-window-minutes': '10080',
        'x-codex-secondary-reset-at': String(nowSeconds + 4 * 86_400),
      },
      until: now + 15 * minute,
      quota: true,
    },
    'a full weekly window: reset-at wins over the earlier 5-hour reset': {
      provider: 'codex',
      headers: {
        'x-codex-primary-used-percent': '100.0',
        'x-codex-primary-reset-at': String(nowSeconds + 3_600),
        'x-codex-secondary-used-percent': '100',
        'x-codex-secondary-reset-at': String(nowSeconds + 3 * 86_400),
      },
      until: now + 3 * day,
      quota: true,
    },
    'windows below 100 % are no signal': {
      provider: 'codex',
      headers: { 'x-codex-primary-used-percent': '42.5', 'x-codex-primary-reset-at': String(nowSeconds + 3_600) },
      until: undefined,
      quota: false,
    },
    'other limit families count too': {
      provider: 'codex',
      headers: { 'x-codex-primary-used-percent': '40', 'x-codex-bengalfox-primary-used-percent': '100', 'x-codex-bengalfox-primary-reset-at': String(nowSeconds + 7_200) },
      until: now + 2 * hour,
      quota: true,
    },
    'usage_limit_reached with resets_at': {
      provider: 'codex',
      body: { error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', plan_type: 'plus', resets_at: nowSeconds + 7_200 } },
      until: now + 2 * hour,
      quota: true,
    },
    'usage_limit_reached with resets_in_seconds': {
      provider: 'codex',
      body: { error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', plan_type: 'pro', resets_in_seconds: 60 } },
      until: now + minute,
      quota: true,
    },
    'usage_limit_reached without a reset is still spent': {
      provider: 'codex',
      body: { error: { type: 'usage_limit_reached', message: 'limit reached' } },
      until: undefined,
      quota: true,
    },
    'usage_not_included: the plan has no Codex': {
      provider: 'codex',
      body: { error: { type: 'usage_not_included', message: 'To use Codex with your ChatGPT plan, upgrade to Plus', plan_type: 'free' } },
      until: undefined,
      quota: true,
    },
  });
});

describe('Gemini RESOURCE_EXHAUSTED details', () => {
  const body = (reason: string, metadata: Record<string, string>, retryDelay?: string) => ({
    error: {
      code: 429,
      message: 'You have exhausted your capacity on this model. Your quota will reset after 1h2m.',
      status: 'RESOURCE_EXHAUSTED',
      details: [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'cloudcode-pa.googleapis.com', metadata },
        ...(retryDelay ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }] : []),
      ],
    },
  });
  table({
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
              violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }],
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
            { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }] },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '38s' },
          ],
        },
      },
      until: now + 38_000,
      quota: false,
    },
  });
});

describe('Qwen', () => {
  table({
    'insufficient_quota': {
      provider: 'qwen',
      body: { error: { message: 'Free allocated quota exceeded.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } },
      until: undefined,
      quota: true,
    },
    'the documented "Free allocated quota exceeded" message alone': {
      provider: 'qwen',
      body: { error: { message: 'Free allocated quota exceeded.', type: 'invalid_request_error' } },
      until: undefined,
      quota: true,
    },
    'the documented message in a truncated body': {
      provider: 'qwen',
      body: '{"error":{"message":"Free allocated quota exceeded.","type":"invalid_req',
      until: undefined,
      quota: true,
    },
    'the message means nothing from other providers': {
      provider: 'openai',
      body: { error: { message: 'Free allocated quota exceeded.', type: 'invalid_request_error' } },
      until: undefined,
      quota: false,
    },
  });
});

describe('merging signals', () => {
  table({
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
      headers: { 'retry-after': 'Mon, 23 Nov 2026 09:59:00 GMT', 'anthropic-ratelimit-unified-status': 'rejected', 'anthropic-ratelimit-unified-reset': String(nowSeconds - 60) },
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
    'a body that is not JSON is no signal': { provider: 'openai', body: '<html><body>Too Many Requests</body></html>', until: undefined, quota: false },
  });
});
