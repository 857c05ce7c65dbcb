import type { Credential, ProviderName } from '../core/types.js';
import { NeedsLoginError } from './needs-login-error.js';
import type { ApiKeyReference, OAuthTokenSet } from './token-file.js';

/** An API-key bucket's key, read from its variable now; a missing or empty variable needs fixing by the user. */
export function apiKeyCredential(
  provider: ProviderName,
  bucket: string,
  reference: ApiKeyReference,
  environment: NodeJS.ProcessEnv,
): Credential {
  const apiKey = apiKeyFrom(reference, environment);
  if (!apiKey) throw new NeedsLoginError(provider, bucket, 'missing-key', { variable: reference.env });
  return { kind: 'api-key', apiKey };
}

/** The key in an API-key bucket's variable, trimmed; undefined when the variable is unset or blank. */
export function apiKeyFrom(reference: ApiKeyReference, environment: NodeJS.ProcessEnv): string | undefined {
  return environment[reference.env]?.trim() || undefined;
}

/** The request-time view of a token set. */
export function oauthCredential(tokens: OAuthTokenSet): Credential {
  const credential: Credential = { kind: 'oauth', accessToken: tokens.access_token };
  if (tokens.account_id !== undefined) credential.accountId = tokens.account_id;
  if (tokens.resource_url !== undefined) credential.resourceUrl = tokens.resource_url;
  if (tokens.project !== undefined) credential.project = tokens.project;
  return credential;
}
