import { describe, expect, it } from 'vitest';
import type { ProviderName } from '../core/types.js';
import { type Classification, classifyAnswer, type HeaderBag } from './classify.js';

const now = Date.parse('2026-11-23T10:00:00.000Z');
const nowSeconds = now / 1000;

interface Case {
  provider: ProviderName;
  status: number;
  headers?: HeaderBag;
  body?: unknown;
  expected: Classification;
}

function table(cases: Record<string, Case>) {
  it.each(Object.entries(cases))('%s', (_name, { provider, status, headers = {}, body, expected }) => {
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    expect(classifyAnswer({ provider, status, headers, body: text, now })).toEqual(expected);
  });
}

const anthropicError = (type: string, message: string) => ({ type: 'error', error: { type, message } });
const openaiError = (type: string, code: string | null, message: string) => ({
  error: { message, type, param: null, code },
});
const googleError = (code: number, status: string, message: string, details: unknown[] = []) => ({
  error: { code, message, status, details },
});

describe('success', () => {
  table({
    '200 is success, whatever the body': {
      provider: 'anthropic',
      status: 200,
      body: anthropicError('rate_limit_error', 'x'),
      expected: { kind: 'success' },
    },
    '204 is success': { provider: 'openai', status: 204, expected: { kind: 'success' } },
  });
});

describe('rate limits and spent quotas', () => {
  table({
    'a 429 without any rate-limit header is about the request: a momentary rest, not the default cooldown': {
      provider: 'anthropic',
      status: 429,
      headers: { 'x-should-retry': 'true' },
      body: anthropicError('rate_limit_error', 'Rate limited'),
      expected: { kind: 'rate-limited', state: 'cooling', until: now + 2_000, reason: 'rate_limit_error' },
    },
    'a 429 with a spent limit but no reset anywhere cools with no reset (the router applies its default)': {
      provider: 'anthropic',
      status: 429,
      headers: { 'anthropic-ratelimit-unified-status': 'rejected' },
      expected: { kind: 'rate-limited', state: 'exhausted', until: undefined, reason: '429' },
    },
    'Anthropic: a rejected 7d_opus window alone spends the opus family, not the account': {
      provider: 'anthropic',
      status: 429,
      headers: {
        'anthropic-ratelimit-unified-status': 'rejected',
        'anthropic-ratelimit-unified-reset': String(nowSeconds + 86_400),
        'anthropic-ratelimit-unified-5h-status': 'allowed',
        'anthropic-ratelimit-unified-5h-reset': String(nowSeconds + 3_600),
        'anthropic-ratelimit-unified-7d_opus-status': 'rejected',
        'anthropic-ratelimit-unified-7d_opus-reset': String(nowSeconds + 86_400),
        'anthropic-ratelimit-unified-representative-claim': 'seven_day_opus',
        'retry-after': '86400',
      },
      body: anthropicError('rate_limit_error', 'Opus weekly limit reached'),
      expected: {
        kind: 'rate-limited',
        state: 'exhausted',
        until: now + 86_400_000,
        reason: 'rate_limit_error',
        families: ['opus'],
      },
    },
    'Anthropic: with the 5h and 7d windows and 7d_opus rejected, the account rests until its latest shared reset': {
      provider: 'anthropic',
      status: 429,
      headers: {
        'anthropic-ratelimit-unified-status': 'rejected',
        'anthropic-ratelimit-unified-reset': String(nowSeconds + 3_600),
        'anthropic-ratelimit-unified-5h-status': 'rejected',
        'anthropic-ratelimit-unified-5h-reset': String(nowSeconds + 3_600),
        'anthropic-ratelimit-unified-7d-status': 'rejected',
        'anthropic-ratelimit-unified-7d-reset': String(nowSeconds + 7_200),
        'anthropic-ratelimit-unified-7d_opus-status': 'rejected',
        'anthropic-ratelimit-unified-7d_opus-reset': String(nowSeconds + 86_400),
      },
      body: anthropicError('rate_limit_error', 'Rate limited'),
      expected: { kind: 'rate-limited', state: 'exhausted', until: now + 7_200_000, reason: 'rate_limit_error' },
    },
    'Anthropic: a rejected 5h window is exhausted until its reset': {
      provider: 'anthropic',
      status: 429,
      headers: {
        'anthropic-ratelimit-unified-status': 'rejected',
        'anthropic-ratelimit-unified-reset': String(nowSeconds + 3_600),
        'anthropic-ratelimit-unified-5h-status': 'rejected',
        'anthropic-ratelimit-unified-5h-reset': String(nowSeconds + 3_600),
        'anthropic-ratelimit-unified-7d-status': 'allowed',
        'anthropic-ratelimit-unified-7d-reset': String(nowSeconds + 86_400),
        'retry-after': '3600',
      },
      body: anthropicError(
        'rate_limit_error',
        "This request would exceed your account's rate limit. Please try again later.",
      ),
      expected: { kind: 'rate-limited', state: 'exhausted', until: now + 3_600_000, reason: 'rate_limit_error' },
    },
    'Anthropic: overage-status allowed is not exhaustion': {
      provider: 'anthropic',
      status: 429,
      headers: {
        'anthropic-ratelimit-unified-status': 'allowed_warning',
        'anthropic-ratelimit-unified-overage-status': 'allowed',
        'anthropic-ratelimit-unified-overage-reset': String(nowSeconds + 20 * 86_400),
        'retry-after': '5',
      },
      body: anthropicError('rate_limit_error', 'Rate limited'),
      expected: { kind: 'rate-limited', state: 'cooling', until: now + 5_000, reason: 'rate_limit_error' },
    },
    'Anthropic: x-should-retry without a unified reset is a momentary throttle': {
      provider: 'anthropic',
      status: 429,
      headers: { 'x-should-retry': 'true', 'retry-after': '2', 'anthropic-ratelimit-unified-status': 'rejected' },
      body: anthropicError('rate_limit_error', 'Rate limited'),
      expected: { kind: 'rate-limited', state: 'cooling', until: now + 2_000, reason: 'rate_limit_error' },
    },
    'OpenAI: a rate limit cools until the spent limit resets': {
      provider: 'openai',
      status: 429,
      headers: {
        'x-ratelimit-limit-requests': '500',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '6m0s',
        'x-ratelimit-remaining-tokens': '29000',
        'x-ratelimit-reset-tokens': '12ms',
      },
      body: openaiError(
        'requests',
        'rate_limit_exceeded',
        'Rate limit reached for gpt-4o on requests per min (RPM): Limit 500, Used 500, Requested 1.',
      ),
      expected: { kind: 'rate-limited', state: 'cooling', until: now + 360_000, reason: 'rate_limit_exceeded' },
    },
    'OpenAI: insufficient_quota is billing, exhausted with no reset': {
      provider: 'openai',
      status: 429,
      body: openaiError(
        'insufficient_quota',
        'insufficient_quota',
        'You exceeded your current quota, please check your plan and billing details.',
      ),
      expected: { kind: 'rate-limited', state: 'exhausted', until: undefined, reason: 'insufficient_quota' },
    },
    'Codex: usage_limit_reached is exhausted until resets_at': {
      provider: 'codex',
      status: 429,
      headers: {
        'x-codex-primary-used-percent': '100',
        'x-codex-primary-reset-after-seconds': '7200',
        'x-codex-primary-window-minutes': '300',
      },
      body: {
        error: {
          type: 'usage_limit_reached',
          message: 'The usage limit has been reached',
          plan_type: 'plus',
          resets_at: nowSeconds + 7_200,
          resets_in_seconds: 7_200,
        },
      },
      expected: { kind: 'rate-limited', state: 'exhausted', until: now + 7_200_000, reason: 'usage_limit_reached' },
    },
    'Codex: a full window alone is exhausted': {
      provider: 'codex',
      status: 429,
      headers: { 'x-codex-secondary-used-percent': '100', 'x-codex-secondary-reset-at': String(nowSeconds + 86_400) },
      expected: { kind: 'rate-limited', state: 'exhausted', until: now + 86_400_000, reason: '429' },
    },
    'Gemini: QUOTA_EXHAUSTED is exhausted': {
      provider: 'gemini',
      status: 429,
      body: googleError(429, 'RESOURCE_EXHAUSTED', 'You have exhausted your capacity on this model.', [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'QUOTA_EXHAUSTED',
          domain: 'cloudcode-pa.googleapis.com',
          metadata: { quotaResetDelay: '1h2m' },
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3720s' },
      ]),
      expected: { kind: 'rate-limited', state: 'exhausted', until: now + 3_720_000, reason: 'QUOTA_EXHAUSTED' },
    },
    'Gemini: RATE_LIMIT_EXCEEDED cools': {
      provider: 'gemini',
      status: 429,
      body: googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'RATE_LIMIT_EXCEEDED',
          domain: 'cloudcode-pa.googleapis.com',
          metadata: { quotaResetDelay: '38.3s' },
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '38.3s' },
      ]),
      expected: { kind: 'rate-limited', state: 'cooling', until: now + 38_300, reason: 'RATE_LIMIT_EXCEEDED' },
    },
    'Gemini: a bare RESOURCE_EXHAUSTED cools with no reset': {
      provider: 'gemini',
      status: 429,
      body: googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).'),
      expected: { kind: 'rate-limited', state: 'cooling', until: undefined, reason: 'RESOURCE_EXHAUSTED' },
    },
    '402 is exhausted (payment)': {
      provider: 'openai',
      status: 402,
      expected: { kind: 'rate-limited', state: 'exhausted', until: undefined, reason: '402' },
    },
    'Anthropic 402 billing_error is exhausted': {
      provider: 'anthropic',
      status: 402,
      body: anthropicError('billing_error', 'Your credit balance is too low to access the Anthropic API.'),
      expected: { kind: 'rate-limited', state: 'exhausted', until: undefined, reason: 'billing_error' },
    },
    'Qwen: a 403 insufficient_quota is exhausted': {
      provider: 'qwen',
      status: 403,
      body: openaiError('insufficient_quota', 'insufficient_quota', 'Free allocated quota exceeded.'),
      expected: { kind: 'rate-limited', state: 'exhausted', until: undefined, reason: 'insufficient_quota' },
    },
    'Qwen: a 403 with the documented message is exhausted': {
      provider: 'qwen',
      status: 403,
      body: {
        error: { message: 'Free allocated quota exceeded.', type: 'invalid_request_error', param: null, code: null },
      },
      expected: { kind: 'rate-limited', state: 'exhausted', until: undefined, reason: 'invalid_request_error' },
    },
    'Qwen: a 429 with the documented message is exhausted': {
      provider: 'qwen',
      status: 429,
      headers: { 'retry-after': '60' },
      body: {
        error: { message: 'Free allocated quota exceeded.', type: 'invalid_request_error', param: null, code: null },
      },
      expected: { kind: 'rate-limited', state: 'exhausted', until: now + 60_000, reason: 'invalid_request_error' },
    },
    "a 4xx whose body says the plan is spent is exhausted, not the client's fault": {
      provider: 'codex',
      status: 404,
      body: {
        error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', resets_in_seconds: 600 },
      },
      expected: { kind: 'rate-limited', state: 'exhausted', until: now + 600_000, reason: 'usage_limit_reached' },
    },
  });
});

describe('lost logins', () => {
  table({
    '401 is auth': {
      provider: 'anthropic',
      status: 401,
      body: anthropicError(
        'authentication_error',
        'OAuth token has expired. Please obtain a new token or refresh your existing token.',
      ),
      expected: { kind: 'auth', reason: 'authentication_error' },
    },
    '401 without a body is auth': { provider: 'qwen', status: 401, expected: { kind: 'auth', reason: '401' } },
    'Codex 401 token_invalidated is auth': {
      provider: 'codex',
      status: 401,
      body: {
        error: {
          code: 'token_invalidated',
          message: 'Your authentication token has been invalidated. Please try signing in again.',
          type: 'invalid_request_error',
          param: null,
        },
      },
      expected: { kind: 'auth', reason: 'token_invalidated' },
    },
    'Anthropic 403 for a revoked OAuth token is auth': {
      provider: 'anthropic',
      status: 403,
      body: anthropicError('permission_error', 'OAuth token has been revoked. Please obtain a new token.'),
      expected: { kind: 'auth', reason: 'permission_error' },
    },
    "Anthropic 403 for anything else is the client's": {
      provider: 'anthropic',
      status: 403,
      body: anthropicError('permission_error', 'Your API key does not have permission to use the specified resource.'),
      expected: { kind: 'client-error', reason: 'permission_error' },
    },
    'Qwen 403 token_expired is auth (its OAuth login is refreshed)': {
      provider: 'qwen',
      status: 403,
      body: { error: { code: 'token_expired', message: 'The access token has expired.' } },
      expected: { kind: 'auth', reason: 'token_expired' },
    },
    'Codex 403 token_expired is auth': {
      provider: 'codex',
      status: 403,
      body: {
        error: {
          code: 'token_expired',
          message: 'Provided authentication token is expired. Please try signing in again.',
          type: 'invalid_request_error',
          param: null,
        },
      },
      expected: { kind: 'auth', reason: 'token_expired' },
    },
    'Codex 403 token_invalidated is auth': {
      provider: 'codex',
      status: 403,
      body: {
        error: {
          code: 'token_invalidated',
          message: 'Your authentication token has been invalidated.',
          type: 'invalid_request_error',
          param: null,
        },
      },
      expected: { kind: 'auth', reason: 'token_invalidated' },
    },
    'Gemini 403 UNAUTHENTICATED is auth': {
      provider: 'gemini',
      status: 403,
      body: googleError(
        403,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token.',
      ),
      expected: { kind: 'auth', reason: 'UNAUTHENTICATED' },
    },
    "Gemini 403 PERMISSION_DENIED is the client's": {
      provider: 'gemini',
      status: 403,
      body: googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission'),
      expected: { kind: 'client-error', reason: 'PERMISSION_DENIED' },
    },
    "a 403 with an HTML body is the client's": {
      provider: 'openai',
      status: 403,
      body: '<html><head><title>403 Forbidden</title></head></html>',
      expected: { kind: 'client-error', reason: '403' },
    },
  });
});

describe('server trouble', () => {
  table({
    "Anthropic 529 overloaded_error is retried, not the account's fault": {
      provider: 'anthropic',
      status: 529,
      headers: { 'x-should-retry': 'true' },
      body: anthropicError('overloaded_error', 'Overloaded'),
      expected: { kind: 'retryable', reason: 'overloaded_error' },
    },
    '500 is retried': {
      provider: 'anthropic',
      status: 500,
      body: anthropicError('api_error', 'Internal server error'),
      expected: { kind: 'retryable', reason: 'api_error' },
    },
    '502 without a body is retried': {
      provider: 'openai',
      status: 502,
      body: '<html>Bad Gateway</html>',
      expected: { kind: 'retryable', reason: '502' },
    },
    '503 is retried': {
      provider: 'gemini',
      status: 503,
      body: googleError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'),
      expected: { kind: 'retryable', reason: 'UNAVAILABLE' },
    },
    '408 is retried': { provider: 'qwen', status: 408, expected: { kind: 'retryable', reason: '408' } },
    "Gemini 429 MODEL_CAPACITY_EXHAUSTED is Google's capacity, retried like a 529": {
      provider: 'gemini',
      status: 429,
      body: googleError(
        429,
        'RESOURCE_EXHAUSTED',
        'No capacity available for model gemini-3-flash-preview on the server',
        [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'MODEL_CAPACITY_EXHAUSTED',
            domain: 'cloudcode-pa.googleapis.com',
            metadata: { model: 'gemini-3-flash-preview' },
          },
        ],
      ),
      expected: { kind: 'retryable', reason: 'MODEL_CAPACITY_EXHAUSTED' },
    },
  });
});

describe("the client's own errors", () => {
  table({
    '400 invalid_request_error is passed through': {
      provider: 'anthropic',
      status: 400,
      body: anthropicError('invalid_request_error', 'messages: field required'),
      expected: { kind: 'client-error', reason: 'invalid_request_error' },
    },
    "Anthropic's Claude Code-only 400 is passed through": {
      provider: 'anthropic',
      status: 400,
      body: anthropicError(
        'invalid_request_error',
        'This credential is only authorized for use with Claude Code and cannot be used for other API requests.',
      ),
      expected: { kind: 'client-error', reason: 'invalid_request_error' },
    },
    'a message that mentions 429 or quota is not read': {
      provider: 'openai',
      status: 400,
      body: openaiError(
        'invalid_request_error',
        'context_length_exceeded',
        'Error 429: quota exceeded? No: maximum context length is 128000 tokens.',
      ),
      expected: { kind: 'client-error', reason: 'context_length_exceeded' },
    },
    '404 is passed through': {
      provider: 'gemini',
      status: 404,
      body: googleError(404, 'NOT_FOUND', 'models/gemini-9 is not found for API version v1beta'),
      expected: { kind: 'client-error', reason: 'NOT_FOUND' },
    },
    '413 is passed through': {
      provider: 'anthropic',
      status: 413,
      body: anthropicError('request_too_large', 'Request exceeds the maximum allowed number of bytes.'),
      expected: { kind: 'client-error', reason: 'request_too_large' },
    },
    'headers of a full window do not turn a 400 into a quota': {
      provider: 'codex',
      status: 400,
      headers: { 'x-codex-primary-used-percent': '100', 'x-codex-primary-reset-after-seconds': '60' },
      body: {
        error: {
          message: 'Unsupported parameter: temperature',
          type: 'invalid_request_error',
          param: 'temperature',
          code: 'unsupported_parameter',
        },
      },
      expected: { kind: 'client-error', reason: 'unsupported_parameter' },
    },
  });
});
