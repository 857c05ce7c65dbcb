import type { Account } from '../accounts.js';
import type { GrantAnswer, GrantState } from './grant.js';
import { idToken } from './id-token.js';

/** Anthropic's setup-token: a login asking for `user:inference` alone gets a one-year token. */
export const longLivedScope = 'user:inference';
const longLivedSeconds = 365 * 24 * 3600;

export interface LoginTokenOptions {
  scope: string;
  clientId: string;
  /** Device code answers (Qwen) name the API host of the account and carry no id_token. */
  deviceGrant: boolean;
  /** The lifetime the client asked for (Anthropic's setup-token sends `expires_in`). */
  requestedSeconds?: number;
}

/** The token answer of a completed login (authorization code or device code). */
export function loginTokens(account: Account, state: GrantState, options: LoginTokenOptions): GrantAnswer {
  const nowSeconds = Math.floor(state.clock.now() / 1000);
  state.counts.loggedIn(account.name);
  if (options.scope === longLivedScope) {
    const lifetime = Math.min(options.requestedSeconds ?? longLivedSeconds, longLivedSeconds);
    return {
      status: 200,
      delayMs: account.tokenDelayMs,
      body: {
        access_token: state.registry.issueLongLived(account, lifetime),
        expires_in: lifetime,
        token_type: 'Bearer',
        scope: options.scope,
      },
    };
  }
  state.registry.login(account);
  const body: Record<string, unknown> = {
    access_token: account.accessToken,
    refresh_token: account.refreshToken,
    expires_in: account.expiresInSeconds,
    token_type: 'Bearer',
    scope: options.scope,
  };
  // OpenID Connect: an id_token when `openid` was asked for, addressed to the client.
  if (options.deviceGrant) body.resource_url = state.baseUrl;
  else if (options.scope.split(' ').includes('openid'))
    body.id_token = idToken(account, state.baseUrl, nowSeconds, options.clientId);
  return { status: 200, delayMs: account.tokenDelayMs, body };
}
