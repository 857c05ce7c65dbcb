import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import type { OAuthSettings } from '../../providers/types.js';
import type { OAuthTokenSet } from '../token-file.js';
import { LoginDeniedError } from './login-denied-error.js';
import { LoginFailedError } from './login-failed-error.js';
import type { LoginContext } from './login-io.js';
import { LoginTimeoutError } from './login-timeout-error.js';
import { oauthClient } from './oauth-client.js';
import { loginError } from './oauth-errors.js';
import { tokenSetFromAnswer } from './token-set.js';

export interface CodexDeviceLogin {
  provider: string;
  settings: OAuthSettings;
}

// Codex's server sends the interval as a string.
const userCodeSchema = z.object({
  device_auth_id: z.string().min(1),
  user_code: z.string().min(1),
  interval: z.coerce.number().min(0).optional(),
});
const approvedSchema = z.object({ authorization_code: z.string().min(1), code_verifier: z.string().min(1) });

const slowDownSeconds = 5;

/**
 * Codex's own device flow (not RFC 8628): a user code from `deviceauth/usercode`, polled at
 * `deviceauth/token` (403/404 while pending) until it yields an authorization code and the PKCE
 * verifier, which are redeemed at the token endpoint like a browser login's (oauth4webapi).
 * @see https://github.com/openai/codex/blob/main/codex-rs/login/src/device_code_auth.rs
 */
export async function loginWithCodexDeviceCode(login: CodexDeviceLogin, context: LoginContext): Promise<OAuthTokenSet> {
  const { provider, settings } = login;
  const { io } = context;
  let stopWaiting: (() => void) | undefined;
  try {
    if (!settings.deviceUrl)
      throw new LoginFailedError(provider, `no device URL; set providers.${provider}.deviceUrl in config.yaml.`);
    const setup = oauthClient(provider, settings, context);
    const issuer = new URL(settings.deviceUrl).origin;
    const pollUrl = settings.deviceUrl.replace(/\/usercode\/?$/, '/token');
    const started = await postJson(settings.deviceUrl, { client_id: settings.clientId }, context);
    if (started.status === 404)
      throw new LoginFailedError(
        provider,
        'device code login is not enabled on this server; log in with the browser instead (without --device).',
      );
    if (started.status !== 200)
      throw new LoginFailedError(provider, `the device code request answered ${started.status}.`);
    const device = userCodeSchema.parse(started.json);
    io.say(
      `To log in to ${provider}, open\n\n  ${issuer}/codex/device\n\nand enter ` +
        `the one-time code ${device.user_code} (it expires in 15 min; never share ` +
        `it).\n`,
    );
    await io.openBrowser(`${issuer}/codex/device`);
    stopWaiting = io.wait(`Waiting for approval of code ${device.user_code}`);
    let intervalSeconds = device.interval ?? slowDownSeconds;
    let approved: z.infer<typeof approvedSchema> | undefined;
    while (approved === undefined) {
      await io.sleep(intervalSeconds * 1000, context.signal);
      const poll = await postJson(
        pollUrl,
        { device_auth_id: device.device_auth_id, user_code: device.user_code },
        context,
      );
      const errorCode = readErrorCode(poll.json);
      if (poll.status === 200) approved = approvedSchema.parse(poll.json);
      else if (errorCode === 'slow_down' || poll.status === 429) intervalSeconds += slowDownSeconds;
      else if (errorCode === 'access_denied') throw new LoginDeniedError(provider, 'access_denied');
      else if (errorCode === 'expired_token' || poll.status === 410)
        throw new LoginTimeoutError(provider, 'code-expired', context.timeoutSeconds);
      else if (poll.status !== 403 && poll.status !== 404)
        throw new LoginFailedError(
          provider,
          `the device code poll answered ${poll.status}${errorCode ? ` ${errorCode}` : ''}.`,
        );
    }
    stopWaiting();
    stopWaiting = io.wait('Exchanging the code for tokens');
    const callback = oauth.validateAuthResponse(
      setup.as,
      setup.client,
      new URLSearchParams({ code: approved.authorization_code }),
      oauth.expectNoState,
    );
    const response = await oauth.authorizationCodeGrantRequest(
      setup.as,
      setup.client,
      setup.clientAuth,
      callback,
      `${issuer}/deviceauth/callback`,
      approved.code_verifier,
      setup.options,
    );
    return tokenSetFromAnswer(await oauth.processAuthorizationCodeResponse(setup.as, setup.client, response), io.now());
  } catch (error) {
    throw loginError(provider, error, context);
  } finally {
    stopWaiting?.();
  }
}

async function postJson(url: string, body: unknown, context: LoginContext): Promise<{ status: number; json: unknown }> {
  const response = await context.io.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: context.signal,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json };
}

/** `{"error":{"code":"slow_down"}}` or `{"error":"slow_down"}`. */
function readErrorCode(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const error = (json as Record<string, unknown>).error;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const code = (error as Record<string, unknown>).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
