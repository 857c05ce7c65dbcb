import { describe, expect, it, vi } from 'vitest';
import { postJson, useSimulator } from './testing/use-simulator.js';

describe('counts', () => {
  const simulator = useSimulator();

  function chat(credential: string) {
    return postJson(
      `${simulator().url}/v1/chat/completions`,
      { model: 'gpt-4o-mini', messages: [] },
      {
        authorization: `Bearer ${credential}`,
      },
    );
  }

  it('counts every request that reached an account, by status', async () => {
    const { apiKey } = simulator().addAccount('ivy');
    simulator().script('ivy', [
      { kind: 'rate-limit', style: 'openai', resetSeconds: 5 },
      { kind: 'server-error', status: 502 },
    ]);
    for (let index = 0; index < 4; index++) await chat(apiKey);
    expect(simulator().counts('ivy')).toEqual({
      requests: 4,
      byStatus: { 200: 2, 429: 1, 502: 1 },
      refreshes: 0,
      invalidGrants: 0,
      aborted: 0,
      logins: 0,
      maxConcurrent: 1,
      inFlight: 0,
    });
    expect(simulator().totalRequests()).toBe(4);
  });

  it('counts requests with unknown credentials under unknown', async () => {
    simulator().addAccount('ivy');
    await chat('who-knows');
    await postJson(`${simulator().url}/v1/messages`, {});
    expect(simulator().counts('unknown')).toMatchObject({ requests: 2, byStatus: { 401: 2 } });
    expect(simulator().counts('ivy').requests).toBe(0);
  });

  it('counts a refused request (Claude Code check) and count_tokens as requests of the account', async () => {
    const { accessToken, apiKey } = simulator().addAccount('ivy');
    await postJson(`${simulator().url}/v1/messages`, { messages: [] }, { authorization: `Bearer ${accessToken}` });
    await postJson(`${simulator().url}/v1/messages/count_tokens`, { messages: [] }, { 'x-api-key': apiKey });
    expect(simulator().counts('ivy')).toMatchObject({ requests: 2, byStatus: { 400: 1, 200: 1 } });
  });

  it('records the peak of concurrent requests', async () => {
    const { apiKey } = simulator().addAccount('ivy');
    simulator().setBehavior('ivy', { kind: 'ok', delayMs: 60_000 });
    const controller = new AbortController();
    const pending = Array.from({ length: 3 }, () =>
      fetch(`${simulator().url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: '{}',
        signal: controller.signal,
      }).catch(() => undefined),
    );
    await vi.waitFor(() => expect(simulator().counts('ivy').inFlight).toBe(3), { timeout: 10_000 });
    controller.abort();
    await Promise.all(pending);
    await vi.waitFor(() => expect(simulator().counts('ivy').inFlight).toBe(0), { timeout: 10_000 });
    expect(simulator().counts('ivy').maxConcurrent).toBe(3);
    // Aborted before any answer: counted as requests, but under no status.
    expect(simulator().counts('ivy')).toMatchObject({ requests: 3, byStatus: {} });
  });

  it('resets every counter', async () => {
    const { apiKey, refreshToken } = simulator().addAccount('ivy');
    await chat(apiKey);
    await postJson(`${simulator().url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: refreshToken });
    simulator().resetCounts();
    expect(simulator().counts('ivy')).toEqual({
      requests: 0,
      byStatus: {},
      refreshes: 0,
      invalidGrants: 0,
      aborted: 0,
      logins: 0,
      maxConcurrent: 0,
      inFlight: 0,
    });
    expect(simulator().totalRequests()).toBe(0);
  });

  it('answers zeros for an account it has never seen', () => {
    expect(simulator().counts('nobody')).toMatchObject({ requests: 0, maxConcurrent: 0 });
  });
});
