import { describe, expect, it } from 'vitest';
import { browse, pastedCode } from '../../provider-simulator/testing/scripted-browser.js';
import { manualClock, postJson, useSimulator } from '../../provider-simulator/testing/use-simulator.js';
import { setupTokenRequest } from '../../providers/anthropic/login.js';
import { LoginDeniedError } from './login-denied-error.js';
import { LoginFailedError } from './login-failed-error.js';
import { LoginTimeoutError } from './login-timeout-error.js';
import { loginToProvider } from './provider-login.js';
import { oauthAt, type TestLoginIo, testContext, testLoginIo, userCodeIn } from './testing/test-login-io.js';

/** The scripted browser step: open the authorize URL, log in as `account`, approve (or deny). */
function approvingBrowser(account: string, decision: 'approve' | 'deny' = 'approve') {
  return async (url: string) => {
    await browse(url, { account, decision });
  };
}

describe('browser logins against the provider simulator', () => {
  const simulator = useSimulator();

  async function works(accessToken: string): Promise<number> {
    return (
      await postJson(
        `${simulator().url}/v1/chat/completions`,
        { model: 'm', messages: [] },
        { authorization: `Bearer ${accessToken}` },
      )
    ).status;
  }

  it('anthropic: the user pastes code#state from the code page; the token request is JSON with state', async () => {
    let page = '';
    const io = testLoginIo({
      browser: async (url) => {
        page = pastedCode(await browse(url, { account: 'ann' }));
      },
      readLine: async () => page,
    });
    const tokens = await loginToProvider(
      { provider: 'anthropic', oauth: oauthAt('anthropic', simulator().url) },
      testContext(io),
    );
    expect(tokens.refresh_token).toMatch(/^sim-ort-/);
    expect(tokens.scope).toBe('org:create_api_key user:profile user:inference');
    expect(await works(tokens.access_token)).toBe(200);
    const authorize = new URL(io.said[0]?.match(/https?:\/\/\S+/)?.[0] ?? '');
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      code: 'true',
      client_id: '9d1c250a-e61b-44d9-88ed-5944d1962f5e',
      redirect_uri: `${simulator().url}/oauth/code/callback`,
      code_challenge_method: 'S256',
    });
    const tokenRequest = io.requests.find((request) => request.url.endsWith('/v1/oauth/token'));
    expect(tokenRequest?.contentType).toBe('application/json');
    expect(JSON.parse(tokenRequest?.body ?? '{}')).toMatchObject({
      grant_type: 'authorization_code',
      state: authorize.searchParams.get('state'),
    });
    expect(simulator().counts('ann').logins).toBe(1);
  });

  it('anthropic: a loopback callback instead of pasting', async () => {
    const io = testLoginIo({ browser: approvingBrowser('ann') });
    const tokens = await loginToProvider(
      { provider: 'anthropic', oauth: oauthAt('anthropic', simulator().url), loopback: true, port: 0 },
      testContext(io),
    );
    expect(await works(tokens.access_token)).toBe(200);
    expect(io.said[0]).toMatch(/redirect_uri=http%3A%2F%2Flocalhost%3A\d+%2Fcallback/);
  });

  it('anthropic setup-token scope: a long-lived token without refresh token', async () => {
    let page = '';
    const io = testLoginIo({
      browser: async (url) => {
        page = pastedCode(await browse(url, { account: 'ann' }));
      },
      readLine: async () => page,
    });
    const tokens = await loginToProvider(
      { provider: 'anthropic', oauth: oauthAt('anthropic', simulator().url), ...setupTokenRequest },
      testContext(io),
    );
    const exchange = JSON.parse(
      io.requests.find((request) => request.url.endsWith('/v1/oauth/token'))?.body ?? '{}',
    ) as Record<string, unknown>;
    expect(exchange.expires_in).toBe(31_536_000);
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope).toBe('user:inference');
    expect((tokens.expires_at ?? 0) - Date.now() / 1000).toBeGreaterThan(364 * 24 * 3600);
    expect(await works(tokens.access_token)).toBe(200);
  });

  it('codex: loopback callback with Codex CLI parameters, form-encoded exchange, account id from the id_token', async () => {
    simulator().addAccount('cody', { accountId: 'chatgpt-cody' });
    const io = testLoginIo({ browser: approvingBrowser('cody') });
    const tokens = await loginToProvider(
      { provider: 'codex', oauth: oauthAt('codex', simulator().url), port: 0 },
      testContext(io),
    );
    expect(tokens.account_id).toBe('chatgpt-cody');
    const authorize = new URL(io.said[0]?.match(/https?:\/\/\S+/)?.[0] ?? '');
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      id_token_add_organizations: 'true',
      codex_cli_simplified_flow: 'true',
      originator: 'codex_cli_rs',
      scope: 'openid profile email offline_access',
    });
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\/auth\/callback$/);
    expect(io.requests.find((request) => request.url.endsWith('/oauth/token'))?.contentType).toMatch(
      /^application\/x-www-form-urlencoded/,
    );
    expect(await works(tokens.access_token)).toBe(200);
  });

  it('gemini: loopback callback, offline access, the installed-app secret sent to the token endpoint', async () => {
    const io = testLoginIo({ browser: approvingBrowser('gem') });
    const tokens = await loginToProvider(
      { provider: 'gemini', oauth: oauthAt('gemini', simulator().url), port: 0 },
      testContext(io),
    );
    expect(await works(tokens.access_token)).toBe(200);
    expect(io.said[0]).toContain('access_type=offline');
    const exchange = new URLSearchParams(io.requests.find((request) => request.url.endsWith('/token'))?.body);
    expect(exchange.get('client_secret')).toBe('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');
    expect(exchange.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a denial in the browser ends the login with LoginDeniedError', async () => {
    const io = testLoginIo({ browser: approvingBrowser('cody', 'deny') });
    const error = await loginToProvider(
      { provider: 'codex', oauth: oauthAt('codex', simulator().url), port: 0 },
      testContext(io),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LoginDeniedError);
    expect((error as Error).message).toBe(
      'Login to codex was denied (access_denied): nothing was stored. Approve the request in the browser to log in.',
    );
  });

  it('times out when the browser never comes back', async () => {
    const controller = new AbortController();
    const io = testLoginIo({ browser: async () => controller.abort() });
    const error = await loginToProvider(
      { provider: 'gemini', oauth: oauthAt('gemini', simulator().url), port: 0 },
      testContext(io, controller),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LoginTimeoutError);
    expect((error as Error).message).toBe(
      'Login to gemini timed out after 300 s without an answer from the ' +
        'browser; nothing was stored. Run the command again, or allow more time ' +
        'with --timeout SECONDS.',
    );
  });

  it('refuses a pasted code from another login attempt (state mismatch) and an empty paste', async () => {
    let page = '';
    const stale = testLoginIo({
      browser: async (url) => {
        page = pastedCode(await browse(url, { account: 'ann' }));
      },
      readLine: async () => `${page.split('#')[0]}#another-state`,
    });
    await expect(
      loginToProvider({ provider: 'anthropic', oauth: oauthAt('anthropic', simulator().url) }, testContext(stale)),
    ).rejects.toThrow(
      'Login to anthropic failed: the code belongs to another login attempt ' +
        '(state mismatch). Run the command again and use the code it leads to.',
    );
    const empty = testLoginIo({ readLine: async () => '  ' });
    await expect(
      loginToProvider({ provider: 'anthropic', oauth: oauthAt('anthropic', simulator().url) }, testContext(empty)),
    ).rejects.toThrow(
      'Login to anthropic failed: nothing was pasted. Paste the code#state that the page shows after approving.',
    );
  });

  it('refuses plain http endpoints off this machine, and providers without OAuth', async () => {
    const io = testLoginIo();
    await expect(
      loginToProvider({ provider: 'codex', oauth: oauthAt('codex', 'http://auth.example.com') }, testContext(io)),
    ).rejects.toThrow(
      'Login to codex failed: authorizeUrl must be an https URL (plain http ' +
        'only on 127.0.0.1/localhost); check providers.codex.authorizeUrl in ' +
        'config.yaml.',
    );
    await expect(loginToProvider({ provider: 'openai', oauth: undefined }, testContext(io))).rejects.toThrow(
      'Login to openai failed: openai has no OAuth login; it takes API keys: ' +
        'switchyard auth openai key <bucket> --env VAR.',
    );
    await expect(
      loginToProvider({ provider: 'gemini', oauth: oauthAt('gemini', simulator().url), device: true }, testContext(io)),
    ).rejects.toBeInstanceOf(LoginFailedError);
  });
});

describe('device logins against the provider simulator', () => {
  // The client's sleeps move the simulator's clock: polling follows the interval without waiting.
  const clock = manualClock(Date.now());
  const simulator = useSimulator({ clock, login: { deviceIntervalSeconds: 5, deviceExpiresInSeconds: 600 } });

  it('qwen: PKCE device flow through authorization_pending and slow_down, resource_url stored', async () => {
    simulator().scriptDevicePolls(['authorization_pending', 'slow_down', 'authorization_pending']);
    const io = testLoginIo({
      browser: approvingBrowser('quinn'),
      onSleep: (milliseconds) => void clock.advance(milliseconds),
    });
    const tokens = await loginToProvider(
      { provider: 'qwen', oauth: oauthAt('qwen', simulator().url) },
      testContext(io),
    );
    expect(tokens.resource_url).toBe(simulator().url);
    expect(tokens.refresh_token).toMatch(/^sim-ort-/);
    expect(io.sleeps).toEqual([5_000, 5_000, 10_000, 10_000]);
    expect(io.said[0]).toMatch(/and confirm the code [B-Z]{4}-[B-Z]{4} \(it expires in 10 min\)/);
    const deviceRequest = new URLSearchParams(io.requests[0]?.body);
    expect(deviceRequest.get('code_challenge_method')).toBe('S256');
    expect(deviceRequest.get('client_id')).toBe('f0304373b74a44d2b584a3fb70ca9e56');
    expect(new URLSearchParams(io.requests.at(-1)?.body).get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('qwen: a denial ends with LoginDeniedError, an expired code with LoginTimeoutError', async () => {
    const denied = testLoginIo({
      browser: approvingBrowser('quinn', 'deny'),
      onSleep: (milliseconds) => void clock.advance(milliseconds),
    });
    await expect(
      loginToProvider({ provider: 'qwen', oauth: oauthAt('qwen', simulator().url) }, testContext(denied)),
    ).rejects.toThrow(
      'Login to qwen was denied (access_denied): nothing was stored. Approve the request in the browser to log in.',
    );
    const expired = testLoginIo({ onSleep: (milliseconds) => void clock.advance(milliseconds * 40) });
    const error = await loginToProvider(
      { provider: 'qwen', oauth: oauthAt('qwen', simulator().url) },
      testContext(expired),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LoginTimeoutError);
    expect((error as Error).message).toBe(
      'Login to qwen failed: the device code expired before it was approved; ' +
        'nothing was stored. Run the command again and approve within the time ' +
        'shown.',
    );
  });

  it('qwen: the --timeout ends the polling', async () => {
    const controller = new AbortController();
    const io = testLoginIo({
      onSleep: (milliseconds, count) => {
        clock.advance(milliseconds);
        if (count === 3) controller.abort();
      },
    });
    await expect(
      loginToProvider({ provider: 'qwen', oauth: oauthAt('qwen', simulator().url) }, testContext(io, controller)),
    ).rejects.toThrow('Login to qwen timed out after 300 s');
  });

  it('codex --device: user code, pending and slow_down polls, then the code exchange and the account id', async () => {
    simulator().addAccount('dev', { accountId: 'chatgpt-dev' });
    simulator().scriptDevicePolls(['slow_down']);
    const io: TestLoginIo = testLoginIo({
      onSleep: async (milliseconds, count) => {
        clock.advance(milliseconds);
        if (count === 3)
          await browse(`${simulator().url}/codex/device`, { account: 'dev', userCode: userCodeIn(io.said) });
      },
    });
    const tokens = await loginToProvider(
      { provider: 'codex', oauth: oauthAt('codex', simulator().url), device: true },
      testContext(io),
    );
    expect(tokens.account_id).toBe('chatgpt-dev');
    expect(io.sleeps).toEqual([5_000, 10_000, 10_000]);
    expect(io.said[0]).toContain(`${simulator().url}/codex/device`);
    const exchange = new URLSearchParams(io.requests.find((request) => request.url.endsWith('/oauth/token'))?.body);
    expect(exchange.get('redirect_uri')).toBe(`${simulator().url}/deviceauth/callback`);
  });

  it('codex --device: a denial ends with LoginDeniedError', async () => {
    const io: TestLoginIo = testLoginIo({
      onSleep: async (milliseconds, count) => {
        clock.advance(milliseconds);
        if (count === 1)
          await browse(`${simulator().url}/codex/device`, { decision: 'deny', userCode: userCodeIn(io.said) });
      },
    });
    await expect(
      loginToProvider({ provider: 'codex', oauth: oauthAt('codex', simulator().url), device: true }, testContext(io)),
    ).rejects.toThrow('Login to codex was denied (access_denied)');
  });
});
