import * as oauth from 'oauth4webapi';
import type { AuthorizationCodeStyle } from '../../providers/login-style.js';
import type { OAuthSettings } from '../../providers/types.js';
import type { OAuthTokenSet } from '../token-file.js';
import { abortable } from './abortable.js';
import { LoginFailedError } from './login-failed-error.js';
import type { LoginContext } from './login-io.js';
import { LoginTimeoutError } from './login-timeout-error.js';
import { type LoopbackCallback, startLoopbackCallback } from './loopback-callback.js';
import { oauthClient } from './oauth-client.js';
import { loginError } from './oauth-errors.js';
import { parsePastedCode } from './pasted-code.js';
import { tokenSetFromAnswer } from './token-set.js';

export interface AuthorizationCodeLogin {
  provider: string;
  settings: OAuthSettings;
  style: AuthorizationCodeStyle;
  scopes: string[];
  /** Where the code comes back: a loopback callback on `port` (0: any), or pasted by the user. */
  redirect: { kind: 'loopback'; port: number } | { kind: 'paste' };
  /** Extra token request parameters (setup-token's `expires_in`). */
  tokenParameters?: Record<string, string>;
}

/** Extra ports tried after a provider's fixed callback port (Codex's 1455) when it is taken. */
const extraPorts = 10;

/**
 * Authorization code with PKCE (S256): prints (and opens) the authorize URL, takes the code from
 * the loopback callback or the pasted `code#state`, checks state and redeems the code.
 * @see https://datatracker.ietf.org/doc/html/rfc7636
 */
export async function loginWithAuthorizationCode(
  login: AuthorizationCodeLogin,
  context: LoginContext,
): Promise<OAuthTokenSet> {
  const { provider, settings, style } = login;
  const { io } = context;
  let callback: LoopbackCallback | undefined;
  let stopWaiting: (() => void) | undefined;
  try {
    const setup = oauthClient(provider, settings, context);
    const verifier = oauth.generateRandomCodeVerifier();
    const challenge = await oauth.calculatePKCECodeChallenge(verifier);
    const state = oauth.generateRandomState();
    let redirectUri: string;
    if (login.redirect.kind === 'loopback') {
      const port = login.redirect.port;
      callback = await startLoopbackCallback({
        port,
        path: style.callbackPath,
        extraPorts: port !== 0 && port === style.defaultPort ? extraPorts : 0,
      });
      redirectUri = callback.redirectUri;
    } else {
      if (style.pasteRedirectUri === undefined)
        throw new LoginFailedError(
          provider,
          'this provider has no code page to paste from; use the loopback callback.',
        );
      redirectUri = style.pasteRedirectUri(settings.tokenUrl);
    }
    const url = new URL(settings.authorizeUrl);
    for (const [name, value] of Object.entries(style.authorizeParameters)) url.searchParams.set(name, value);
    url.searchParams.set('client_id', settings.clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('scope', login.scopes.join(' '));
    url.searchParams.set('code_challenge', challenge);
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('state', state);

    io.say(`Open this URL in a browser to log in to ${provider}:\n\n  ${url.href}\n`);
    await io.openBrowser(url.href);
    let parameters: URLSearchParams;
    const timedOut = () => new LoginTimeoutError(provider, 'timeout', context.timeoutSeconds);
    if (callback) {
      stopWaiting = io.wait(`Waiting for the browser to come back to ${callback.redirectUri}`);
      parameters = (await abortable(callback.received, context.signal, timedOut)).searchParams;
    } else {
      // No spinner here: it would redraw over what the user is typing.
      io.say('After approving, the page shows a code: paste it here and press Enter.');
      parameters = parsePastedCode(await abortable(io.readLine(context.signal), context.signal, timedOut));
      if (!parameters.has('code') && !parameters.has('error'))
        throw new LoginFailedError(
          provider,
          'nothing was pasted. Paste the code#state that the page shows after approving.',
        );
    }
    stopWaiting?.();
    stopWaiting = undefined;
    // Checked here, by field, before oauth4webapi checks it again: the user gets a plain reason.
    if (parameters.get('state') !== state) {
      throw new LoginFailedError(
        provider,
        'the code belongs to another login attempt (state mismatch). Run the ' +
          'command again and use the code it leads to.',
      );
    }
    const validated = oauth.validateAuthResponse(setup.as, setup.client, parameters, state);
    stopWaiting = io.wait('Exchanging the code for tokens');
    const response = await oauth.authorizationCodeGrantRequest(
      setup.as,
      setup.client,
      setup.clientAuth,
      validated,
      redirectUri,
      verifier,
      {
        ...setup.options,
        additionalParameters: { ...login.tokenParameters, ...(style.stateInTokenRequest ? { state } : {}) },
      },
    );
    const answer = await oauth.processAuthorizationCodeResponse(setup.as, setup.client, response);
    return tokenSetFromAnswer(answer, io.now());
  } catch (error) {
    throw loginError(provider, error, context);
  } finally {
    stopWaiting?.();
    await callback?.close();
  }
}
