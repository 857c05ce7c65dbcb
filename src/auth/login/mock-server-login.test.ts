import { type MutableRedirectUri, type MutableToken, OAuth2Server } from 'oauth2-mock-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browse } from '../../provider-simulator/testing/scripted-browser.js';
import { LoginDeniedError } from './login-denied-error.js';
import { loginToProvider } from './provider-login.js';
import { oauthAt, testContext, testLoginIo } from './testing/test-login-io.js';

// oauth2-mock-server approves every authorize request at once (no consent page) and speaks
// authorization code + PKCE; it has no device authorization endpoint and refuses the
// device_code grant, so the device flows (Qwen, Codex --device) are tested on the simulator only.
describe('browser logins against oauth2-mock-server', () => {
  let server: OAuth2Server;
  let origin: string;

  beforeEach(async () => {
    server = new OAuth2Server();
    await server.issuer.keys.generate('RS256');
    await server.start(0, '127.0.0.1');
    const address = server.address();
    origin = `http://127.0.0.1:${address.port}`;
    server.issuer.url = origin;
  });

  afterEach(async () => {
    await server.stop();
  });

  /** The mock server's endpoints are `/authorize` and `/token`. */
  function at(provider: 'anthropic' | 'codex' | 'gemini') {
    return oauthAt(provider, origin, { authorizeUrl: `${origin}/authorize`, tokenUrl: `${origin}/token` });
  }

  it('anthropic: the user pastes the callback address the browser ended on; the exchange is JSON with PKCE', async () => {
    let landed = '';
    const io = testLoginIo({
      browser: async (url) => {
        landed = (await browse(url)).url;
      },
      readLine: async () => landed,
    });
    const tokens = await loginToProvider({ provider: 'anthropic', oauth: at('anthropic') }, testContext(io));
    expect(tokens.access_token.split('.')).toHaveLength(3);
    expect(tokens.refresh_token).toBeDefined();
    const exchange = io.requests.find((request) => request.url.endsWith('/token'));
    expect(exchange?.contentType).toBe('application/json');
    expect(JSON.parse(exchange?.body ?? '{}')).toMatchObject({
      grant_type: 'authorization_code',
      client_id: '9d1c250a-e61b-44d9-88ed-5944d1962f5e',
    });
  });

  it('codex: loopback callback; the id_token is checked (issuer, audience) and its account id claim stored', async () => {
    server.service.once('beforeTokenSigning', (token: MutableToken) => {
      token.payload['https://api.openai.com/auth'] = { chatgpt_account_id: 'chatgpt-mock' };
    });
    const io = testLoginIo({ browser: async (url) => void (await browse(url)) });
    const tokens = await loginToProvider({ provider: 'codex', oauth: at('codex'), port: 0 }, testContext(io));
    expect(tokens.account_id).toBe('chatgpt-mock');
  });

  it('gemini: loopback callback with the client secret', async () => {
    const io = testLoginIo({ browser: async (url) => void (await browse(url)) });
    const tokens = await loginToProvider({ provider: 'gemini', oauth: at('gemini'), port: 0 }, testContext(io));
    expect(tokens.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect(
      new URLSearchParams(io.requests.find((request) => request.url.endsWith('/token'))?.body).get('client_secret'),
    ).toBe('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');
  });

  it('a denial (error=access_denied on the redirect) ends with LoginDeniedError', async () => {
    server.service.once('beforeAuthorizeRedirect', (redirect: MutableRedirectUri) => {
      redirect.url.searchParams.delete('code');
      redirect.url.searchParams.set('error', 'access_denied');
    });
    const io = testLoginIo({ browser: async (url) => void (await browse(url)) });
    const error = await loginToProvider({ provider: 'codex', oauth: at('codex'), port: 0 }, testContext(io)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(LoginDeniedError);
    expect((error as Error).message).toBe(
      'Login to codex was denied (access_denied): nothing was stored. Approve the request in the browser to log in.',
    );
  });

  it('a code without its PKCE challenge is refused by the server, reported without the code', async () => {
    server.service.once('beforeAuthorizeRedirect', (redirect: MutableRedirectUri) => {
      // The browser hands back a code the server never bound to our challenge (an injected code).
      redirect.url.searchParams.set('code', 'not-the-issued-code');
    });
    const io = testLoginIo({ browser: async (url) => void (await browse(url)) });
    await expect(
      loginToProvider({ provider: 'gemini', oauth: at('gemini'), port: 0 }, testContext(io)),
    ).rejects.toThrow(
      'Login to gemini failed: the token endpoint answered 400 invalid_request. ' +
        'Run the command again; if it keeps failing, check the OAuth settings of ' +
        'providers.gemini in config.yaml.',
    );
  });
});
