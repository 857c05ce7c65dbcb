import { describe, expect, it } from 'vitest';
import type { ProviderName } from '../core/types.js';
import { type Classification, classifyStreamError } from './classify.js';

const now = Date.parse('2026-11-23T10:00:00.000Z');
const nowSeconds = now / 1000;

function table(cases: Array<[string, ProviderName, unknown, Classification]>) {
  it.each(cases)('%s', (_name, provider, event, expected) => {
    expect(classifyStreamError(provider, event, now)).toEqual(expected);
  });
}

const anthropic = (type: string, message: string) => ({ type: 'error', error: { type, message } });

describe('Anthropic error events', () => {
  table([
    [
      'overloaded_error is retried',
      'anthropic',
      anthropic('overloaded_error', 'Overloaded'),
      { kind: 'retryable', reason: 'overloaded_error' },
    ],
    [
      'api_error is retried',
      'anthropic',
      anthropic('api_error', 'Internal server error'),
      { kind: 'retryable', reason: 'api_error' },
    ],
    [
      'rate_limit_error cools',
      'anthropic',
      anthropic('rate_limit_error', 'Rate limited'),
      { kind: 'rate-limited', state: 'cooling', until: undefined, reason: 'rate_limit_error' },
    ],
    [
      'billing_error is exhausted',
      'anthropic',
      anthropic('billing_error', 'Your credit balance is too low.'),
      { kind: 'rate-limited', state: 'exhausted', until: undefined, reason: 'billing_error' },
    ],
    [
      'authentication_error is auth',
      'anthropic',
      anthropic('authentication_error', 'invalid x-api-key'),
      { kind: 'auth', reason: 'authentication_error' },
    ],
    [
      'a revoked OAuth token is auth',
      'anthropic',
      anthropic('permission_error', 'OAuth token has been revoked. Please obtain a new token.'),
      { kind: 'auth', reason: 'permission_error' },
    ],
    [
      "invalid_request_error is the client's",
      'anthropic',
      anthropic('invalid_request_error', 'max_tokens: too large'),
      { kind: 'client-error', reason: 'invalid_request_error' },
    ],
  ]);
});

describe('OpenAI Chat error chunks', () => {
  table([
    [
      'server_error is retried',
      'openai',
      { error: { message: 'The server had an error', type: 'server_error', param: null, code: null } },
      { kind: 'retryable', reason: 'server_error' },
    ],
    [
      'rate_limit_exceeded cools',
      'openai',
      {
        error: {
          message: 'Rate limit reached for requests',
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
      { kind: 'rate-limited', state: 'cooling', until: undefined, reason: 'rate_limit_exceeded' },
    ],
    [
      'insufficient_quota is exhausted',
      'openai',
      {
        error: {
          message: 'You exceeded your current quota',
          type: 'insufficient_quota',
          param: null,
          code: 'insufficient_quota',
        },
      },
      { kind: 'rate-limited', state: 'exhausted', until: undefined, reason: 'insufficient_quota' },
    ],
    [
      "Qwen's documented quota message is exhausted",
      'qwen',
      { error: { message: 'Free allocated quota exceeded.', type: 'invalid_request_error', param: null, code: null } },
      { kind: 'rate-limited', state: 'exhausted', until: undefined, reason: 'invalid_request_error' },
    ],
  ]);
});

describe('Responses and Codex error events', () => {
  table([
    [
      '{type:error} server_error is retried',
      'openai',
      { type: 'error', code: 'server_error', message: 'The server had an error', param: null, sequence_number: 1 },
      { kind: 'retryable', reason: 'server_error' },
    ],
    [
      '{type:error} rate_limit_exceeded cools',
      'openai',
      { type: 'error', code: 'rate_limit_exceeded', message: 'Rate limit reached', param: null, sequence_number: 1 },
      { kind: 'rate-limited', state: 'cooling', until: undefined, reason: 'rate_limit_exceeded' },
    ],
    [
      'response.failed rate_limit_exceeded cools',
      'codex',
      {
        type: 'response.failed',
        sequence_number: 3,
        response: {
          id: 'resp_1',
          status: 'failed',
          error: { code: 'rate_limit_exceeded', message: 'Rate limit reached' },
        },
      },
      { kind: 'rate-limited', state: 'cooling', until: undefined, reason: 'rate_limit_exceeded' },
    ],
    [
      'response.failed usage_limit_reached keeps its reset',
      'codex',
      {
        type: 'response.failed',
        response: {
          status: 'failed',
          error: { code: 'usage_limit_reached', message: 'The usage limit has been reached', resets_in_seconds: 120 },
        },
      },
      { kind: 'rate-limited', state: 'exhausted', until: now + 120_000, reason: 'usage_limit_reached' },
    ],
    [
      'response.failed server_error is retried',
      'codex',
      { type: 'response.failed', response: { status: 'failed', error: { code: 'server_error', message: 'x' } } },
      { kind: 'retryable', reason: 'server_error' },
    ],
    [
      'a status-carrying error event reads its status and body',
      'codex',
      {
        type: 'error',
        status_code: 429,
        error: {
          type: 'usage_limit_reached',
          message: 'The usage limit has been reached',
          resets_at: nowSeconds + 3_600,
        },
      },
      { kind: 'rate-limited', state: 'exhausted', until: now + 3_600_000, reason: 'usage_limit_reached' },
    ],
    [
      'token_invalidated is auth',
      'codex',
      { type: 'error', code: 'token_invalidated', message: 'Your authentication token has been invalidated.' },
      { kind: 'auth', reason: 'token_invalidated' },
    ],
  ]);
});

describe('Gemini error chunks', () => {
  table([
    [
      '429 QUOTA_EXHAUSTED is exhausted until quotaResetDelay',
      'gemini',
      {
        error: {
          code: 429,
          message: 'You have exhausted your capacity on this model.',
          status: 'RESOURCE_EXHAUSTED',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'QUOTA_EXHAUSTED',
              domain: 'cloudcode-pa.googleapis.com',
              metadata: { quotaResetDelay: '2h' },
            },
          ],
        },
      },
      { kind: 'rate-limited', state: 'exhausted', until: now + 7_200_000, reason: 'QUOTA_EXHAUSTED' },
    ],
    [
      '429 RATE_LIMIT_EXCEEDED cools for its retryDelay',
      'gemini',
      {
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          message: 'Resource has been exhausted (e.g. check quota).',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'RATE_LIMIT_EXCEEDED',
              domain: 'cloudcode-pa.googleapis.com',
              metadata: {},
            },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '38s' },
          ],
        },
      },
      { kind: 'rate-limited', state: 'cooling', until: now + 38_000, reason: 'RATE_LIMIT_EXCEEDED' },
    ],
    [
      'a bare RESOURCE_EXHAUSTED cools',
      'gemini',
      { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'x' } },
      { kind: 'rate-limited', state: 'cooling', until: undefined, reason: 'RESOURCE_EXHAUSTED' },
    ],
    [
      '500 INTERNAL is retried',
      'gemini',
      { error: { code: 500, status: 'INTERNAL', message: 'An internal error has occurred.' } },
      { kind: 'retryable', reason: 'INTERNAL' },
    ],
    [
      '503 UNAVAILABLE is retried',
      'gemini',
      { error: { code: 503, status: 'UNAVAILABLE', message: 'The model is overloaded.' } },
      { kind: 'retryable', reason: 'UNAVAILABLE' },
    ],
    [
      '401 UNAUTHENTICATED is auth',
      'gemini',
      { error: { code: 401, status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.' } },
      { kind: 'auth', reason: 'UNAUTHENTICATED' },
    ],
    [
      "400 INVALID_ARGUMENT is the client's",
      'gemini',
      { error: { code: 400, status: 'INVALID_ARGUMENT', message: 'Invalid JSON payload.' } },
      { kind: 'client-error', reason: 'INVALID_ARGUMENT' },
    ],
    [
      'the JSON-array form is read like the object form',
      'gemini',
      [{ error: { code: 503, status: 'UNAVAILABLE', message: 'x' } }],
      { kind: 'retryable', reason: 'UNAVAILABLE' },
    ],
    [
      'a status without a numeric code is read from the status name',
      'gemini',
      { error: { status: 'UNAUTHENTICATED', message: 'x' } },
      { kind: 'auth', reason: 'UNAUTHENTICATED' },
    ],
  ]);
});

describe('unreadable error events', () => {
  table([
    [
      'event data that was not JSON is retried',
      'openai',
      'upstream connect error or disconnect/reset before headers',
      { kind: 'retryable', reason: 'stream_error' },
    ],
    [
      'an event with no error fields is retried',
      'anthropic',
      { type: 'error' },
      { kind: 'retryable', reason: 'stream_error' },
    ],
    [
      'an unknown code is retried, keeping the code as reason',
      'openai',
      { error: { code: 'mystery_failure', message: 'x' } },
      { kind: 'retryable', reason: 'mystery_failure' },
    ],
    [
      'a code named like an Object method is not looked up on the prototype',
      'openai',
      { error: { code: 'constructor' } },
      { kind: 'retryable', reason: 'constructor' },
    ],
    ['null is retried', 'gemini', null, { kind: 'retryable', reason: 'stream_error' }],
  ]);
});
