import type { ProviderName } from '../core/types.js';
import type { TokenStore } from './token-store.js';

/** Thrown when the variable that should hold a bucket's API key is missing or not a variable name. */
export class KeyVariableError extends Error {
  override readonly name = 'KeyVariableError';
}

/**
 * Stores an API-key bucket as the name of the environment variable holding its key (never the key):
 * the one place `switchyard auth PROVIDER key BUCKET --env VAR` and the dashboard both go through.
 */
export async function saveApiKeyBucket(
  store: TokenStore,
  provider: ProviderName,
  bucket: string,
  variable: string | undefined,
): Promise<void> {
  if (!variable || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
    throw new KeyVariableError(
      `Name the environment variable that holds the key: switchyard auth ${provider} key ${bucket} --env VAR`,
    );
  }
  await store.write(provider, bucket, { type: 'api_key', env: variable });
}
