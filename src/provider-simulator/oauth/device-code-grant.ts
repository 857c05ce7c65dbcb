import { type Grant, grantError } from './grant.js';
import { loginTokens } from './login-tokens.js';

/**
 * `grant_type=urn:ietf:params:oauth:grant-type:device_code` as Qwen runs it (with PKCE):
 * `authorization_pending`, `slow_down`, `access_denied`, `expired_token` until approved.
 * @see https://datatracker.ietf.org/doc/html/rfc8628#section-3.5
 */
export const deviceCodeGrant: Grant = (parameters, state) => {
  const poll = state.logins.pollDevice(parameters.device_code, parameters.client_id, parameters.code_verifier);
  if (poll.kind === 'error') return grantError(poll.error, poll.description);
  return loginTokens(poll.account, state, {
    scope: poll.device.scope,
    clientId: poll.device.clientId,
    deviceGrant: true,
  });
};
