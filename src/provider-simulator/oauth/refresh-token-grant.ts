import { unknownAccount } from '../counts.js';
import { type Grant, grantError } from './grant.js';
import { idToken } from './id-token.js';

/** Scopes of every provider the simulator stands in for, so any client finds its own. */
const scope = 'user:inference user:profile openid profile email offline_access model.completion';

/**
 * `grant_type=refresh_token` with rotation: the answer carries a new refresh token and the old
 * refresh and access tokens stop working, so a reused refresh token gets `invalid_grant`.
 * @see https://datatracker.ietf.org/doc/html/rfc6749#section-6
 */
export const refreshTokenGrant: Grant = (parameters, state) => {
  const refreshToken = parameters.refresh_token;
  if (!refreshToken) return grantError('invalid_request', 'refresh_token is required.');
  const result = state.registry.refresh(refreshToken);
  if (result.status !== 'ok') {
    state.counts.invalidGrant(result.status === 'reused' ? result.account.name : unknownAccount);
    return grantError(
      'invalid_grant',
      result.status === 'reused'
        ? 'The refresh token has already been used (refresh_token_reused).'
        : 'The refresh token is invalid or unknown.',
    );
  }
  const account = result.account;
  state.counts.refreshed(account.name);
  const nowSeconds = Math.floor(state.clock.now() / 1000);
  return {
    status: 200,
    delayMs: account.tokenDelayMs,
    body: {
      access_token: account.accessToken,
      refresh_token: account.refreshToken,
      expires_in: account.expiresInSeconds,
      token_type: 'Bearer',
      scope,
      id_token: idToken(account, state.baseUrl, nowSeconds),
      resource_url: state.baseUrl,
    },
  };
};
