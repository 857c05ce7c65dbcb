import { type Grant, grantError } from './grant.js';
import { loginTokens } from './login-tokens.js';

/**
 * `grant_type=authorization_code` with PKCE: the code must match its client_id, redirect_uri,
 * code_verifier (S256) and, when sent (Anthropic sends it), state.
 * @see https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.3
 * @see https://datatracker.ietf.org/doc/html/rfc7636#section-4.6
 */
export const authorizationCodeGrant: Grant = (parameters, state) => {
  const redemption = state.logins.redeemCode(parameters);
  if (redemption.kind === 'error') return grantError(redemption.error, redemption.description);
  const requested = Number(parameters.expires_in);
  return loginTokens(redemption.account, state, {
    scope: redemption.scope,
    clientId: redemption.clientId,
    deviceGrant: false,
    ...(Number.isInteger(requested) && requested > 0 ? { requestedSeconds: requested } : {}),
  });
};
