import * as oauth from 'oauth4webapi';
import type { DeviceCodeStyle } from '../../providers/login-style.js';
import type { OAuthSettings } from '../../providers/types.js';
import type { OAuthTokenSet } from '../token-file.js';
import { LoginFailedError } from './login-failed-error.js';
import type { LoginContext } from './login-io.js';
import { oauthClient } from './oauth-client.js';
import { loginError } from './oauth-errors.js';
import { tokenSetFromAnswer } from './token-set.js';

export interface DeviceCodeLogin {
  provider: string;
  settings: OAuthSettings;
  style: DeviceCodeStyle;
  scopes: string[];
}

/** RFC 8628 section 3.5: without an interval, poll every 5 s; `slow_down` adds 5 s for good. */
const defaultIntervalSeconds = 5;
const slowDownSeconds = 5;

/**
 * The device flow (RFC 8628), with PKCE where the provider wants it (Qwen): shows the code and
 * where to enter it, then polls at the given interval until approved, denied or expired.
 * @see https://datatracker.ietf.org/doc/html/rfc8628
 */
export async function loginWithDeviceCode(login: DeviceCodeLogin, context: LoginContext): Promise<OAuthTokenSet> {
  const { provider, settings } = login;
  const { io } = context;
  let stopWaiting: (() => void) | undefined;
  try {
    if (!settings.deviceUrl)
      throw new LoginFailedError(
        provider,
        `no device authorization URL; set providers.${provider}.deviceUrl in config.yaml.`,
      );
    const setup = oauthClient(provider, settings, context);
    const verifier = oauth.generateRandomCodeVerifier();
    const parameters: Record<string, string> = { scope: login.scopes.join(' ') };
    if (login.style.pkce) {
      parameters.code_challenge = await oauth.calculatePKCECodeChallenge(verifier);
      parameters.code_challenge_method = 'S256';
    }
    const authorization = await oauth.processDeviceAuthorizationResponse(
      setup.as,
      setup.client,
      await oauth.deviceAuthorizationRequest(setup.as, setup.client, setup.clientAuth, parameters, setup.options),
    );
    const url = authorization.verification_uri_complete ?? authorization.verification_uri;
    io.say(
      `To log in to ${provider}, open\n\n  ${url}\n\nand confirm the code ${authorization.user_code} ` +
        `(it expires in ${Math.round(authorization.expires_in / 60)} min).\n`,
    );
    await io.openBrowser(url);
    stopWaiting = io.wait(`Waiting for approval of code ${authorization.user_code}`);
    let intervalSeconds = authorization.interval ?? defaultIntervalSeconds;
    for (;;) {
      await io.sleep(intervalSeconds * 1000, context.signal);
      const response = await oauth.deviceCodeGrantRequest(
        setup.as,
        setup.client,
        setup.clientAuth,
        authorization.device_code,
        {
          ...setup.options,
          ...(login.style.pkce ? { additionalParameters: { code_verifier: verifier } } : {}),
        },
      );
      try {
        const answer = await oauth.processDeviceCodeResponse(setup.as, setup.client, response);
        return tokenSetFromAnswer(answer, io.now());
      } catch (error) {
        if (!(error instanceof oauth.ResponseBodyError)) throw error;
        if (error.error === 'authorization_pending') continue;
        if (error.error === 'slow_down') {
          intervalSeconds += slowDownSeconds;
          continue;
        }
        throw error;
      }
    }
  } catch (error) {
    throw loginError(provider, error, context);
  } finally {
    stopWaiting?.();
  }
}
