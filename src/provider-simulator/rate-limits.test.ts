import { describe, expect, it } from 'vitest';
import { manualClock, postJson, type RawAnswer, useSimulator } from './testing/use-simulator.js';
import type { Step } from './types.js';

type Route = 'anthropic' | 'chat' | 'codex' | 'gemini' | 'code-assist';

describe('rate-limit steps', () => {
  const clock = manualClock();
  const simulator = useSimulator({ clock });
  const nowSeconds = (): number => clock.now() / 1000;

  async function limited(route: Route, step: Extract<Step, { kind: 'rate-limit' }>): Promise<RawAnswer> {
    const { apiKey, accessToken, accountId } = simulator().addAccount('gina');
    simulator().script('gina', [step]);
    const url = simulator().url;
    switch (route) {
      case 'anthropic':
        return postJson(`${url}/v1/messages`, { model: 'claude-sonnet-4-6', messages: [] }, { 'x-api-key': apiKey });
      case 'chat':
        return postJson(
          `${url}/v1/chat/completions`,
          { model: 'gpt-4o-mini', messages: [] },
          {
            authorization: `Bearer ${apiKey}`,
          },
        );
      case 'codex':
        return postJson(
          `${url}/backend-api/codex/responses`,
          { model: 'gpt-5-codex', input: 'hi', stream: true },
          {
            authorization: `Bearer ${accessToken}`,
            'chatgpt-account-id': accountId,
          },
        );
      case 'gemini':
        return postJson(
          `${url}/v1beta/models/gemini-2.5-pro:generateContent`,
          { contents: [] },
          {
            'x-goog-api-key': apiKey,
          },
        );
      case 'code-assist':
        return postJson(
          `${url}/v1internal:streamGenerateContent?alt=sse`,
          { model: 'gemini-2.5-pro', request: {} },
          {
            authorization: `Bearer ${accessToken}`,
          },
        );
    }
  }

  it('anthropic-unified: rejected unified and 5h window headers with the reset in epoch seconds', async () => {
    const answer = await limited('anthropic', { kind: 'rate-limit', style: 'anthropic-unified', resetSeconds: 1800 });
    expect(answer.status).toBe(429);
    const reset = String(nowSeconds() + 1800);
    expect(answer.headers.get('anthropic-ratelimit-unified-status')).toBe('rejected');
    expect(answer.headers.get('anthropic-ratelimit-unified-reset')).toBe(reset);
    expect(answer.headers.get('anthropic-ratelimit-unified-5h-status')).toBe('rejected');
    expect(answer.headers.get('anthropic-ratelimit-unified-5h-reset')).toBe(reset);
    expect(answer.headers.get('anthropic-ratelimit-unified-7d-status')).toBeNull();
    expect(answer.headers.get('retry-after')).toBe('1800');
    expect(answer.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('anthropic-unified with quota: the 7d window is the rejected one', async () => {
    const answer = await limited('anthropic', {
      kind: 'rate-limit',
      style: 'anthropic-unified',
      resetSeconds: 86_400,
      quota: true,
    });
    expect(answer.headers.get('anthropic-ratelimit-unified-7d-status')).toBe('rejected');
    expect(answer.headers.get('anthropic-ratelimit-unified-7d-reset')).toBe(String(nowSeconds() + 86_400));
    expect(answer.headers.get('anthropic-ratelimit-unified-5h-status')).toBeNull();
  });

  it('anthropic-throttle: x-should-retry and retry-after, no unified headers', async () => {
    const answer = await limited('anthropic', { kind: 'rate-limit', style: 'anthropic-throttle', resetSeconds: 5 });
    expect(answer.headers.get('x-should-retry')).toBe('true');
    expect(answer.headers.get('retry-after')).toBe('5');
    expect(answer.headers.get('anthropic-ratelimit-unified-status')).toBeNull();
    expect(answer.json()).toMatchObject({ error: { type: 'rate_limit_error' } });
  });

  it.each([
    [360, '6m0s'],
    [1.5, '1.5s'],
    [0.012, '12ms'],
  ])('openai: %s seconds reset reads %s in x-ratelimit-reset-requests', async (resetSeconds, duration) => {
    const answer = await limited('chat', { kind: 'rate-limit', style: 'openai', resetSeconds });
    expect(answer.headers.get('x-ratelimit-reset-requests')).toBe(duration);
    expect(answer.headers.get('x-ratelimit-reset-tokens')).toBe(duration);
    expect(answer.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(answer.json()).toMatchObject({ error: { type: 'requests', code: 'rate_limit_exceeded' } });
  });

  it('openai with quota: insufficient_quota type and code', async () => {
    const answer = await limited('chat', { kind: 'rate-limit', style: 'openai', resetSeconds: 60, quota: true });
    expect(answer.status).toBe(429);
    expect(answer.json()).toMatchObject({ error: { type: 'insufficient_quota', code: 'insufficient_quota' } });
  });

  it('codex: primary window at 100% with reset headers and a usage_limit_reached body', async () => {
    const answer = await limited('codex', { kind: 'rate-limit', style: 'codex', resetSeconds: 7200 });
    expect(answer.status).toBe(429);
    expect(answer.headers.get('x-codex-primary-used-percent')).toBe('100');
    expect(answer.headers.get('x-codex-primary-reset-after-seconds')).toBe('7200');
    expect(answer.headers.get('x-codex-primary-reset-at')).toBe(String(nowSeconds() + 7200));
    expect(answer.json()).toEqual({
      error: {
        type: 'usage_limit_reached',
        message: expect.any(String),
        plan_type: 'plus',
        resets_at: nowSeconds() + 7200,
        resets_in_seconds: 7200,
      },
    });
  });

  it('gemini: RESOURCE_EXHAUSTED with ErrorInfo, QuotaFailure and RetryInfo, reset only in the body', async () => {
    const answer = await limited('gemini', { kind: 'rate-limit', style: 'gemini', resetSeconds: 38 });
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBeNull();
    expect(answer.json()).toEqual({
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: expect.any(String),
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'RATE_LIMIT_EXCEEDED',
            domain: 'cloudcode-pa.googleapis.com',
            metadata: { quotaResetDelay: '38s' },
          },
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [
              {
                quotaMetric: 'generativelanguage.googleapis.com/generate_content_requests',
                quotaId: 'GenerateRequestsPerMinutePerProjectPerModel',
              },
            ],
          },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '38s' },
        ],
      },
    });
  });

  it('gemini with quota on Code Assist: QUOTA_EXHAUSTED and fractional delays', async () => {
    const answer = await limited('code-assist', {
      kind: 'rate-limit',
      style: 'gemini',
      resetSeconds: 0.479,
      quota: true,
    });
    const body = answer.json() as { error: { details: Array<Record<string, unknown>> } };
    expect(body.error.details[0]).toMatchObject({ reason: 'QUOTA_EXHAUSTED', metadata: { quotaResetDelay: '0.479s' } });
    expect(body.error.details[1]).toMatchObject({
      violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel' }],
    });
    expect(body.error.details[2]).toMatchObject({ retryDelay: '0.479s' });
  });

  it('retry-after-seconds: a whole number of seconds', async () => {
    const answer = await limited('chat', { kind: 'rate-limit', style: 'retry-after-seconds', resetSeconds: 30 });
    expect(answer.headers.get('retry-after')).toBe('30');
  });

  it('retry-after-date: an HTTP date from the injected clock', async () => {
    const answer = await limited('anthropic', { kind: 'rate-limit', style: 'retry-after-date', resetSeconds: 90 });
    expect(answer.headers.get('retry-after')).toBe(new Date(clock.now() + 90_000).toUTCString());
  });

  it('retry-after-ms: milliseconds in retry-after-ms', async () => {
    const answer = await limited('chat', { kind: 'rate-limit', style: 'retry-after-ms', resetSeconds: 1.5 });
    expect(answer.headers.get('retry-after-ms')).toBe('1500');
    expect(answer.headers.get('retry-after')).toBeNull();
  });

  it('none: a 429 with no reset information anywhere', async () => {
    const answer = await limited('gemini', { kind: 'rate-limit', style: 'none', resetSeconds: 60 });
    expect(answer.status).toBe(429);
    for (const header of [
      'retry-after',
      'retry-after-ms',
      'x-ratelimit-reset-requests',
      'anthropic-ratelimit-unified-reset',
    ]) {
      expect(answer.headers.get(header)).toBeNull();
    }
    expect(answer.json()).toEqual({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: expect.any(String) } });
  });

  it("follows the route's body shape whatever the header style", async () => {
    const answer = await limited('anthropic', { kind: 'rate-limit', style: 'openai', resetSeconds: 60 });
    expect(answer.headers.get('x-ratelimit-reset-requests')).toBe('1m0s');
    expect(answer.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });
});
