import type { Credential, ProviderName } from '../core/types.js';

/** What the router needs from the token manager (structural, so tests can pass a small fake). */
export interface CredentialSource {
  getCredential(provider: ProviderName, bucket: string): Promise<Credential>;
  /** The credential from memory without waiting, when getCredential() would have nothing to do; else undefined. */
  readyCredential?(provider: ProviderName, bucket: string): Credential | undefined;
  refreshAfterUnauthorized(provider: ProviderName, bucket: string, usedAccessToken: string): Promise<Credential>;
  markNeedsLogin(provider: ProviderName, bucket: string, reason: string): Promise<void>;
}

/** The token manager's errors are told apart by their declared `name`, never by message text. */
export function isNeedsLoginError(error: unknown): boolean {
  return error instanceof Error && error.name === 'NeedsLoginError';
}
