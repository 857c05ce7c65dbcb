import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { browse, pastedCode } from './testing/scripted-browser.js';
import { manualClock, postJson, useSimulator } from './testing/use-simulator.js';

interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
  id_token?: string;
  resource_url?: string;
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

function form(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}

describe('authorization code login with PKCE', () => {
  const simulator = useSimulator({ login: { clientIds: ['client-a', 'client-b'] } });

  function authorizeUrl(overrides: Record<string, string | undefined> = {}, challenge = pkcePair().challenge): string {
    const url = new URL(`${simulator().url}/oauth/authorize`);
    const parameters: Record<string, string | undefined> = {
      response_type: 'code',
      client_id: 'client-a',
      redirect_uri: `${simulator().url}/oauth/code/callback`,
      scope: 'openid profile email offline_access',
      state: 'state-123',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...overrides,
    };
    for (const [name, value] of Object.entries(parameters)) if (value !== undefined) url.searchParams.set(name, value);
    return url.href;
  }

  async function codeFor(verifierChallenge: { challenge: string }, account = 'erin'): Promise<string> {
    const page = await browse(authorizeUrl({}, verifierChallenge.challenge), { account });
    const [code, state] = pastedCode(page).split('#');
    expect(state).toBe('state-123');
    return code ?? '';
  }

  function redeem(fields: Record<string, string>) {
    return postJson(`${simulator().url}/oauth/token`, {
      grant_type: 'authorization_code',
      client_id: 'client-a',
      redirect_uri: `${simulator().url}/oauth/code/callback`,
      ...fields,
    });
  }

  it('issues a code after approval, redeemable once with the verifier, for working tokens', async () => {
    const pkce = pkcePair();
    const code = await codeFor(pkce);
    const answer = await redeem({ code, code_verifier: pkce.verifier, state: 'state-123' });
    expect(answer.status).toBe(200);
    const tokens = answer.json() as TokenAnswer;
    expect(tokens).toMatchObject({ expires_in: 3600, scope: 'openid profile email offline_access' });
    expect(tokens.refresh_token).toMatch(/^sim-ort-/);
    expect(claims(tokens.id_token ?? '')).toMatchObject({
      iss: simulator().url,
      aud: 'client-a',
      'https://api.openai.com/auth': { chatgpt_account_id: 'acct-erin' },
    });
    const chat = await postJson(
      `${simulator().url}/v1/chat/completions`,
      { model: 'm', messages: [] },
      { authorization: `Bearer ${tokens.access_token}` },
    );
    expect(chat.status).toBe(200);
    expect(simulator().counts('erin').logins).toBe(1);
    const again = await redeem({ code, code_verifier: pkce.verifier });
    expect(again.status).toBe(400);
    expect(again.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'The authorization code is unknown or was already used.',
    });
  });

  it('refuses a wrong verifier, redirect_uri, client or state with invalid_grant', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ code_verifier: pkcePair().verifier }, 'code_verifier does not match the code_challenge (PKCE S256).'],
      [{ redirect_uri: 'http://127.0.0.1:9/cb' }, 'redirect_uri differs from the authorize request.'],
      [{ client_id: 'client-b' }, 'The authorization code was issued to another client_id.'],
      [{ state: 'another' }, 'state differs from the authorize request.'],
    ];
    for (const [override, description] of cases) {
      const pkce = pkcePair();
      const code = await codeFor(pkce);
      const answer = await redeem({ code, code_verifier: pkce.verifier, ...override });
      expect(answer.status).toBe(400);
      expect(answer.json()).toEqual({ error: 'invalid_grant', error_description: description });
    }
  });

  it('sends a denial back to the client as access_denied with its state', async () => {
    const page = await browse(authorizeUrl(), { decision: 'deny' });
    expect(page.status).toBe(400);
    expect(page.text).toContain('access_denied: The user denied the request.');
  });

  it('refuses authorize requests without PKCE S256 or state, back at the redirect', async () => {
    for (const [override, description] of [
      [{ code_challenge_method: 'plain' }, 'PKCE is required'],
      [{ code_challenge: undefined }, 'PKCE is required'],
      [{ state: undefined }, 'state is required.'],
      [{ response_type: 'token' }, 'response_type must be code.'],
    ] as const) {
      const response = await fetch(authorizeUrl(override), { redirect: 'manual' });
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.searchParams.get('error')).toMatch(/^(invalid_request|unsupported_response_type)$/);
      expect(location.searchParams.get('error_description')).toContain(description);
    }
  });

  it('shows an error page, never a redirect, for an unknown client or an untrusted redirect_uri', async () => {
    const unknownClient = await fetch(authorizeUrl({ client_id: 'stranger' }), { redirect: 'manual' });
    expect(unknownClient.status).toBe(400);
    expect(await unknownClient.text()).toContain('invalid_client: client_id stranger is not registered.');
    const elsewhere = await fetch(authorizeUrl({ redirect_uri: 'https://attacker.example/cb' }), {
      redirect: 'manual',
    });
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain('redirect_uri must be a loopback http URL');
  });

  it('gives a long-lived token without refresh token for user:inference alone (setup-token)', async () => {
    const pkce = pkcePair();
    const page = await browse(authorizeUrl({ scope: 'user:inference' }, pkce.challenge), { account: 'erin' });
    const [code] = pastedCode(page).split('#');
    const tokens = (await redeem({ code: code ?? '', code_verifier: pkce.verifier })).json() as TokenAnswer;
    expect(tokens.expires_in).toBe(365 * 24 * 3600);
    expect(tokens.refresh_token).toBeUndefined();
    const shorter = pkcePair();
    const [shortCode] = pastedCode(
      await browse(authorizeUrl({ scope: 'user:inference' }, shorter.challenge), { account: 'erin' }),
    ).split('#');
    const asked = (
      await redeem({ code: shortCode ?? '', code_verifier: shorter.verifier, expires_in: '86400' })
    ).json() as TokenAnswer;
    expect(asked.expires_in).toBe(86_400);
    const chat = await postJson(
      `${simulator().url}/v1/chat/completions`,
      { model: 'm', messages: [] },
      { authorization: `Bearer ${tokens.access_token}` },
    );
    expect(chat.status).toBe(200);
  });
});

describe('device code login (RFC 8628 with PKCE, Qwen style)', () => {
  const clock = manualClock(Date.now());
  const simulator = useSimulator({ clock, login: { deviceIntervalSeconds: 5, deviceExpiresInSeconds: 60 } });
  const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';

  async function start(pkce = pkcePair()) {
    const response = await form(`${simulator().url}/api/v1/oauth2/device/code`, {
      client_id: 'qwen-client',
      scope: 'openid model.completion',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    });
    expect(response.status).toBe(200);
    return {
      pkce,
      device: (await response.json()) as {
        device_code: string;
        user_code: string;
        verification_uri_complete: string;
        interval: number;
        expires_in: number;
      },
    };
  }

  async function poll(deviceCode: string, verifier: string) {
    const response = await form(`${simulator().url}/api/v1/oauth2/token`, {
      grant_type: deviceGrant,
      client_id: 'qwen-client',
      device_code: deviceCode,
      code_verifier: verifier,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('answers authorization_pending until approved, then tokens with resource_url', async () => {
    const { pkce, device } = await start();
    expect(device).toMatchObject({ interval: 5, expires_in: 60 });
    expect(await poll(device.device_code, pkce.verifier)).toMatchObject({
      status: 400,
      body: { error: 'authorization_pending' },
    });
    const page = await browse(device.verification_uri_complete, { account: 'quinn' });
    expect(page.text).toContain('approved');
    clock.advance(5_000);
    const done = await poll(device.device_code, pkce.verifier);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ resource_url: simulator().url, token_type: 'Bearer' });
    expect(done.body.id_token).toBeUndefined();
    clock.advance(5_000);
    expect(await poll(device.device_code, pkce.verifier)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
  });

  it('answers slow_down to polls sooner than the interval, and adds 5 s to it', async () => {
    const { pkce, device } = await start();
    await poll(device.device_code, pkce.verifier);
    clock.advance(1_000);
    expect(await poll(device.device_code, pkce.verifier)).toMatchObject({
      body: { error: 'slow_down', error_description: 'Polling too fast; wait 10 s between polls.' },
    });
    clock.advance(5_000);
    expect((await poll(device.device_code, pkce.verifier)).body.error).toBe('slow_down');
    clock.advance(15_000);
    expect((await poll(device.device_code, pkce.verifier)).body.error).toBe('authorization_pending');
  });

  it('plays scripted poll answers before the real state', async () => {
    const { pkce, device } = await start();
    await browse(device.verification_uri_complete, { account: 'quinn' });
    simulator().scriptDevicePolls(['authorization_pending', 'slow_down']);
    expect((await poll(device.device_code, pkce.verifier)).body.error).toBe('authorization_pending');
    clock.advance(5_000);
    expect((await poll(device.device_code, pkce.verifier)).body.error).toBe('slow_down');
    clock.advance(10_000);
    expect((await poll(device.device_code, pkce.verifier)).status).toBe(200);
  });

  it('answers access_denied after a denial, expired_token after the lifetime, invalid_grant to a wrong verifier', async () => {
    const denied = await start();
    await browse(denied.device.verification_uri_complete, { decision: 'deny' });
    expect((await poll(denied.device.device_code, denied.pkce.verifier)).body).toMatchObject({
      error: 'access_denied',
    });
    const wrong = await start();
    await browse(wrong.device.verification_uri_complete, { account: 'quinn' });
    expect((await poll(wrong.device.device_code, pkcePair().verifier)).body).toMatchObject({ error: 'invalid_grant' });
    const late = await start();
    clock.advance(60_000);
    expect((await poll(late.device.device_code, late.pkce.verifier)).body).toMatchObject({ error: 'expired_token' });
  });

  it('lets the user type the code on the bare verification page', async () => {
    const { pkce, device } = await start();
    await browse(`${simulator().url}/device`, { account: 'quinn', userCode: device.user_code });
    expect((await poll(device.device_code, pkce.verifier)).status).toBe(200);
  });
});

describe('device code login (Codex style)', () => {
  const simulator = useSimulator({ login: { deviceIntervalSeconds: 0 } });

  async function start() {
    const answer = await postJson(`${simulator().url}/api/accounts/deviceauth/usercode`, { client_id: 'codex-client' });
    expect(answer.status).toBe(200);
    return answer.json() as { device_auth_id: string; user_code: string; interval: string };
  }

  function poll(device: { device_auth_id: string; user_code: string }) {
    return postJson(`${simulator().url}/api/accounts/deviceauth/token`, {
      device_auth_id: device.device_auth_id,
      user_code: device.user_code,
    });
  }

  it('answers 403 while pending, then a code and PKCE pair that redeem for an id_token with the account id', async () => {
    const device = await start();
    expect(device.interval).toBe('0');
    const pending = await poll(device);
    expect(pending.status).toBe(403);
    expect(pending.json()).toMatchObject({ error: { code: 'authorization_pending' } });
    await browse(`${simulator().url}/codex/device`, { account: 'casey', userCode: device.user_code });
    const approved = (await poll(device)).json() as { authorization_code: string; code_verifier: string };
    const tokens = await form(`${simulator().url}/oauth/token`, {
      grant_type: 'authorization_code',
      client_id: 'codex-client',
      code: approved.authorization_code,
      code_verifier: approved.code_verifier,
      redirect_uri: `${simulator().url}/deviceauth/callback`,
    });
    expect(tokens.status).toBe(200);
    const body = (await tokens.json()) as TokenAnswer;
    expect(claims(body.id_token ?? '')).toMatchObject({
      aud: 'codex-client',
      'https://api.openai.com/auth': { chatgpt_account_id: 'acct-casey' },
    });
  });

  it('answers slow_down as 429, a denial as 400 access_denied', async () => {
    const slowed = await start();
    simulator().scriptDevicePolls(['slow_down']);
    const slow = await poll(slowed);
    expect(slow.status).toBe(429);
    expect(slow.json()).toMatchObject({ error: { code: 'slow_down' } });
    const device = await start();
    await browse(`${simulator().url}/codex/device?user_code=${device.user_code}`, { decision: 'deny' });
    const denied = await poll(device);
    expect(denied.status).toBe(400);
    expect(denied.json()).toMatchObject({ error: { code: 'access_denied', message: 'The user denied the request.' } });
  });
});
