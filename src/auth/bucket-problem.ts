import type { ProviderName } from '../core/types.js';
import { describeBucket } from './bucket-auth-status.js';
import { NeedsLoginError } from './needs-login-error.js';
import type { TokenStore } from './token-store.js';

export interface BucketProblemSources {
  store: TokenStore;
  environment: NodeJS.ProcessEnv;
  nowMs: number;
  /** `switchyard auth <provider> disable` turned the provider's OAuth logins off. */
  oauthDisabled: (provider: ProviderName) => boolean;
}

/**
 * Why a bucket cannot serve before any request tries it, with the command that fixes it; undefined
 * when it can (an expired token with a refresh token can: it is refreshed when used). The sentences
 * are the ones the 503 `no_usable_bucket` answer gives, so the warning and the answer agree.
 */
export async function bucketProblem(
  provider: ProviderName,
  bucket: string,
  { store, environment, nowMs, oauthDisabled }: BucketProblemSources,
): Promise<string | undefined> {
  const status = await describeBucket(store, provider, bucket, environment, nowMs);
  const key = `${provider}/${bucket}`;
  switch (status.status) {
    case 'missing-key':
      return new NeedsLoginError(
        provider,
        bucket,
        'missing-key',
        status.env === undefined ? {} : { variable: status.env },
      ).message;
    case 'needs-login':
      return status.reason === 'no-credentials'
        ? new NeedsLoginError(provider, bucket, 'no-credentials').message
        : new NeedsLoginError(provider, bucket, 'marked', status.reason === undefined ? {} : { detail: status.reason })
            .message;
    case 'unreadable':
      return (
        `${key} has a token file that cannot be read (${status.error}); ` +
        `run: switchyard auth ${provider} login ${bucket} to replace it.`
      );
    case 'expired':
      if (!status.hasRefreshToken) return new NeedsLoginError(provider, bucket, 'no-refresh-token').message;
      break;
    case 'ok':
      break;
  }
  if (status.kind === 'oauth' && oauthDisabled(provider))
    return `${key} is disabled (OAuth of ${provider} is turned off); run: switchyard auth ${provider} enable.`;
  return undefined;
}
