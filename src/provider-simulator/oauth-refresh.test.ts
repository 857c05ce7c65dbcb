import { describe, expect, it, vi } from 'vitest';
import { manualClock, postJson, useSimulator } from './testing/use-simulator.js';

interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
  id_token: string;
  resource_url: string;
}

function decodeJwtPayload(token: string): Record<string, unknown> {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
}

describe('OAuth token endpoint', () => {
  const clock = manualClock();
  const simulator = useSimulator({ clock });

  function refresh(refreshToken: string) {
    return postJson(`${simulator().url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  function chat(accessToken: string) {
    return postJson(
      `${simulator().url}/v1/chat/completions`,
      { model: 'gpt-4o-mini', messages: [] },
      {
        authorization: `Bearer ${accessToken}`,
      },
    );
  }

  it('rotates both tokens on refresh, and the old ones stop working', async () => {
    const first = simulator().addAccount('erin', { expiresInSeconds: 600 });
    const answer = await refresh(first.refreshToken);
    expect(answer.status).toBe(200);
    const tokens = answer.json() as TokenAnswer;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 600, resource_url: simulator().url });
    expect(tokens.refresh_token).not.toBe(first.refreshToken);
    expect(tokens.access_token).not.toBe(first.accessToken);
    expect((await chat(tokens.access_token)).status).toBe(200);
    expect((await chat(first.accessToken)).status).toBe(401);
    expect(simulator().counts('erin')).toMatchObject({ refreshes: 1, invalidGrants: 0 });
  });

  it('refuses a reused refresh token with invalid_grant and counts it', async () => {
    const first = simulator().addAccount('erin');
    expect((await refresh(first.refreshToken)).status).toBe(200);
    const reused = await refresh(first.refreshToken);
    expect(reused.status).toBe(400);
    expect(reused.json()).toMatchObject({ error: 'invalid_grant' });
    expect(simulator().counts('erin')).toMatchObject({ refreshes: 1, invalidGrants: 1 });
  });

  it('refuses an unknown refresh token, counted under unknown', async () => {
    simulator().addAccount('erin');
    const answer = await refresh('sim-ort-never-issued');
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({ error: 'invalid_grant' });
    expect(simulator().counts('unknown').invalidGrants).toBe(1);
  });

  it('accepts form-encoded token requests, as OpenAI and Google clients send them', async () => {
    const { refreshToken } = simulator().addAccount('erin');
    const response = await fetch(`${simulator().url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'x' }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as TokenAnswer).access_token).toMatch(/^sim-oat-/);
  });

  it('refuses grant types it does not know', async () => {
    const answer = await postJson(`${simulator().url}/oauth/token`, { grant_type: 'password' });
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('returns an unsigned id_token with the ChatGPT account id and email', async () => {
    const { refreshToken } = simulator().addAccount('frank@example.com', { accountId: 'chatgpt-frank' });
    const tokens = (await refresh(refreshToken)).json() as TokenAnswer;
    expect(tokens.id_token.split('.')).toHaveLength(3);
    expect(decodeJwtPayload(tokens.id_token)).toMatchObject({
      email: 'frank@example.com',
      'https://api.openai.com/auth': { chatgpt_account_id: 'chatgpt-frank' },
    });
  });

  it('expires access tokens by the injected clock, while API keys keep working', async () => {
    const { accessToken, apiKey, expiresAt } = simulator().addAccount('erin', { expiresInSeconds: 60 });
    expect(expiresAt).toBe(Math.floor(clock.now() / 1000) + 60);
    expect((await chat(accessToken)).status).toBe(200);
    clock.advance(60_000);
    const expired = await chat(accessToken);
    expect(expired.status).toBe(401);
    expect(expired.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key' } });
    expect((await chat(apiKey)).status).toBe(200);
    expect(simulator().counts('erin').byStatus).toEqual({ 200: 2, 401: 1 });
  });

  it('holds the token answer back by tokenDelayMs, rotating at once', async () => {
    const { refreshToken } = simulator().addAccount('erin', { tokenDelayMs: 50 });
    const pending = refresh(refreshToken);
    await vi.waitFor(() => expect(simulator().counts('erin').refreshes).toBe(1), { timeout: 10_000 });
    const reused = await refresh(refreshToken);
    expect(reused.status).toBe(400);
    expect((await pending).status).toBe(200);
  });
});
