import type { ProviderName } from '../core/types.js';
import type { OAuthSettings } from '../providers/types.js';

/**
 * Providers that want a scope on refresh. Codex CLI sends `openid profile email`.
 * @see https://github.com/openai/codex/blob/main/codex-rs/core/src/auth.rs
 */
const refreshScopes: Partial<Record<ProviderName, string>> = {
  codex: 'openid profile email',
};

/** The refresh-token grant's parameters for a provider (RFC 6749 section 6). */
export function refreshParameters(
  provider: ProviderName,
  oauth: OAuthSettings,
  refreshToken: string,
): Record<string, string> {
  const parameters: Record<string, string> = {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: oauth.clientId,
  };
  // Installed-app clients (Google) publish a secret the token endpoint still requires.
  if (oauth.clientSecret !== undefined) parameters.client_secret = oauth.clientSecret;
  const scope = refreshScopes[provider];
  if (scope !== undefined) parameters.scope = scope;
  return parameters;
}

/** The body and content type the token endpoint wants: JSON (Anthropic) or a form (the others). */
export function encodeTokenRequest(
  parameters: Record<string, string>,
  encoding: OAuthSettings['tokenRequestEncoding'],
): { body: string; contentType: string } {
  return encoding === 'json'
    ? { body: JSON.stringify(parameters), contentType: 'application/json' }
    : { body: new URLSearchParams(parameters).toString(), contentType: 'application/x-www-form-urlencoded' };
}
