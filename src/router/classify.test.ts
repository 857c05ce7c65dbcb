import { describe, expect, it } from 'vitest';
import { classifyAnswer, classifyStreamError, parseDuration, readResetTime, type UpstreamAnswer } from './classify.js';

const now = Date.parse('2026-11-23T10:00:00.000Z');
const nowSeconds = now / 1000;

function answer(partial: Partial<UpstreamAnswer>): UpstreamAnswer {
  return { provider: 'anthropic', status: 429, headers: {}, body: undefined, now, ...partial };
}

describe('parseDuration', () => {
  it.each([
    ['6m0s', 360_000],
    ['1.5s', 1_500],
    ['12ms', 12],
    ['1h2m3.5s', 3_723_500],
    ['0.479s', 479],
    ['0s', 0],
    ['38', 38_000],
  ])('reads %s as %i ms', (text, milliseconds) => expect(parseDuration(text)).toBeCloseTo(milliseconds, 6));

  it.each(['', 'soon', '5 minutes', '1x', '6m0', 'ms'])('refuses %j', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('reset times', () => {
  it('reads retry-after as seconds, as an HTTP date, and retry-after-ms', () => {
    expect(readResetTime(answer({ headers: { 'retry-after': '30' } })).until).toBe(now + 30_000);
    expect(readResetTime(answer({ headers: { 'retry-after': new Date(now + 90_000).toUTCString() } })).until).toBe(now + 90_000);
    expect(readResetTime(answer({ headers: { 'retry-after-ms': '1500' } })).until).toBe(now + 1_500);
  });

  it('treats a rejected Anthropic unified window as a spent quota until the latest rejected reset', () => {
    const headers = {
      'anthropic-ratelimit-unified-status': 'rejected',
      'anthropic-ratelimit-unified-reset': String(nowSeconds + 600),
      'anthropic-ratelimit-unified-5h-status': 'rejected',
      'anthropic-ratelimit-unified-5h-reset': String(nowSeconds + 3_600),
      'anthropic-ratelimit-unified-7d-status': 'allowed',
      'anthropic-ratelimit-unified-7d-reset': String(nowSeconds + 86_400),
    };
    expect(classifyAnswer(answer({ headers }))).toEqual({ kind: 'rate-limited', state: 'exhausted', until: now + 3_600_000, reason: '429' });
  });

  it('does not read overage-status "allowed" as exhaustion, and treats x-should-retry without a reset as a throttle', () => {
    const headers = { 'anthropic-ratelimit-unified-status': 'allowed_warning', 'anthropic-ratelimit-unified-overage-status': 'allowed', 'x-should-retry': 'true', 'retry-after': '5' };
    expect(classifyAnswer(answer({ headers }))).toMatchObject({ kind: 'rate-limited', state: 'cooling', until: now + 5_000 });
  });

  it('reads OpenAI reset durations by which limit is at zero', () => {
    const base = { 'x-ratelimit-reset-requests': '6m0s', 'x-ratelimit-reset-tokens': '12ms' };
    expect(readResetTime(answer({ provider: 'openai', headers: { ...base, 'x-ratelimit-remaining-requests': '0' } })).until).toBe(now + 360_000);
    expect(readResetTime(answer({ provider: 'openai', headers: { ...base, 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-remaining-requests': '5' } })).until).toBe(now + 12);
    expect(readResetTime(answer({ provider: 'openai', headers: base })).until).toBe(now + 360_000);
  });

  it('treats insufficient_quota as billing: exhausted, with no reset', () => {
    const body = JSON.stringify({ error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } });
    expect(classifyAnswer(answer({ provider: 'openai', body }))).toEqual({ kind: 'rate-limited', state: 'exhausted', until: undefined, reason: 'insufficient_quota' });
  });

  it('reads Codex usage_limit_reached bodies and x-codex headers', () => {
    const body = JSON.stringify({ error: { type: 'usage_limit_reached', resets_at: nowSeconds + 7_200, plan_type: 'plus' } });
    expect(classifyAnswer(answer({ provider: 'codex', body }))).toMatchObject({ state: 'exhausted', until: now + 7_200_000 });
    const inSeconds = JSON.stringify({ error: { type: 'usage_limit_reached', resets_in_seconds: 60 } });
    expect(classifyAnswer(answer({ provider: 'codex', body: inSeconds }))).toMatchObject({ state: 'exhausted', until: now + 60_000 });
    const headers = { 'x-codex-primary-used-percent': '100', 'x-codex-primary-reset-after-seconds': '900' };
    expect(readResetTime(answer({ provider: 'codex', headers }))).toEqual({ until: now + 900_000, quota: true });
  });

  it('tells Gemini QUOTA_EXHAUSTED from RATE_LIMIT_EXCEEDED and reads retryDelay and quotaResetDelay', () => {
    const body = (reason: string) =>
      JSON.stringify({
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          details: [
            { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, metadata: { quotaResetDelay: '1h2m' } },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '38s' },
          ],
        },
      });
    expect(classifyAnswer(answer({ provider: 'gemini', body: body('QUOTA_EXHAUSTED') }))).toMatchObject({ state: 'exhausted', until: now + 3_720_000 });
    expect(classifyAnswer(answer({ provider: 'gemini', body: body('RATE_LIMIT_EXCEEDED') }))).toMatchObject({ state: 'cooling', until: now + 3_720_000 });
    const short = JSON.stringify({ error: { code: 429, details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.479s' }] } });
    expect(classifyAnswer(answer({ provider: 'gemini', body: short }))).toMatchObject({ state: 'cooling', until: now + 479 });
  });

  it('leaves until empty when a 429 says nothing, and ignores resets in the past', () => {
    expect(classifyAnswer(answer({}))).toEqual({ kind: 'rate-limited', state: 'cooling', until: undefined, reason: '429' });
    expect(readResetTime(answer({ headers: { 'retry-after': new Date(now - 1_000).toUTCString() } })).until).toBeUndefined();
  });

  it('clamps an absurd reset to 30 days', () => {
    expect(readResetTime(answer({ headers: { 'retry-after': String(365 * 86_400) } })).until).toBe(now + 30 * 86_400_000);
  });
});

describe('classifyAnswer', () => {
  it('maps statuses to what the router does', () => {
    expect(classifyAnswer(answer({ status: 200 }))).toEqual({ kind: 'success' });
    expect(classifyAnswer(answer({ status: 402 }))).toMatchObject({ kind: 'rate-limited', state: 'exhausted', reason: 'payment_required' });
    expect(classifyAnswer(answer({ status: 401 }))).toMatchObject({ kind: 'auth' });
    expect(classifyAnswer(answer({ status: 500 }))).toMatchObject({ kind: 'retryable' });
    expect(classifyAnswer(answer({ status: 529, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' }))).toEqual({ kind: 'retryable', reason: 'overloaded_error' });
    expect(classifyAnswer(answer({ status: 400, body: '{"type":"error","error":{"type":"invalid_request_error","message":"x"}}' }))).toEqual({ kind: 'client-error', reason: 'invalid_request_error' });
  });

  it('treats a 403 as a lost login only when it says the token is revoked or expired', () => {
    const revoked = '{"type":"error","error":{"type":"permission_error","message":"OAuth token has been revoked. Please obtain a new token."}}';
    expect(classifyAnswer(answer({ status: 403, body: revoked }))).toMatchObject({ kind: 'auth' });
    expect(classifyAnswer(answer({ status: 403, provider: 'codex', body: '{"error":{"code":"token_invalidated"}}' }))).toMatchObject({ kind: 'auth' });
    const forbidden = '{"type":"error","error":{"type":"permission_error","message":"Your organization cannot use this model."}}';
    expect(classifyAnswer(answer({ status: 403, body: forbidden }))).toMatchObject({ kind: 'client-error' });
  });

  it('treats Qwen quota 403s as exhausted', () => {
    const body = '{"error":{"message":"Free allocated quota exceeded.","type":"invalid_request_error"}}';
    expect(classifyAnswer(answer({ status: 403, provider: 'qwen', body }))).toMatchObject({ kind: 'rate-limited', state: 'exhausted' });
  });
});

describe('classifyStreamError', () => {
  it.each([
    ['anthropic', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'retryable'],
    ['anthropic', { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }, 'rate-limited'],
    ['openai', { error: { message: 'x', type: 'server_error', code: null } }, 'retryable'],
    ['openai', { error: { message: 'x', type: 'requests', code: 'rate_limit_exceeded' } }, 'rate-limited'],
    ['codex', { type: 'error', code: 'server_error', message: 'x' }, 'retryable'],
    ['codex', { type: 'response.failed', response: { error: { code: 'rate_limit_exceeded', message: 'x' } } }, 'rate-limited'],
    ['gemini', { error: { code: 500, status: 'INTERNAL', message: 'x' } }, 'retryable'],
    ['gemini', { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'x' } }, 'rate-limited'],
    ['anthropic', { type: 'error', error: { type: 'authentication_error', message: 'x' } }, 'auth'],
  ] as const)('%s %j -> %s', (provider, error, kind) => {
    expect(classifyStreamError(provider, error, now).kind).toBe(kind);
  });

  it('keeps the reset of a usage_limit_reached stream error', () => {
    const error = { type: 'response.failed', response: { error: { code: 'usage_limit_reached', resets_in_seconds: 120 } } };
    expect(classifyStreamError('codex', error, now)).toMatchObject({ kind: 'rate-limited', state: 'exhausted', until: now + 120_000 });
  });
});
