import { SymbolicLinkError } from '../config/secure-files.js';
import type { ProviderName } from '../core/types.js';
import { UnreadableFolderError } from './file-token-store.js';
import { isExpired } from './token-expiry.js';
import { isApiKeyReference, type StoredCredential } from './token-file.js';
import type { TokenStore } from './token-store.js';

/** One bucket as `auth status` and `/auth/{provider}/status` show it. Never carries a token. */
export interface BucketAuthStatus {
  /** `*` (with status `unreadable`) stands for every bucket of a provider whose folder cannot be read. */
  bucket: string;
  kind: 'oauth' | 'api-key';
  /** `unreadable`: the token file is corrupt or invalid (see `error`); it is left untouched. */
  status: 'ok' | 'expired' | 'needs-login' | 'missing-key' | 'unreadable';
  /** Unix seconds. */
  expiresAt?: number;
  hasRefreshToken: boolean;
  scope?: string;
  /** The variable an API-key bucket reads. */
  env?: string;
  /** Why the bucket needs login (persisted needs_login reason). */
  reason?: string;
  /** Why the file could not be read. */
  error?: string;
}

/**
 * Every bucket of a provider with its status, read fresh from the store, one file at a time: the
 * running server's refresh sweep calls this every 30 seconds, and with a pool of 1,000 buckets
 * reading all files at once kept every read's buffers, text and parsed copy alive together across
 * collections, which moved a few megabytes to the old generation at each sweep. In sequence each
 * read's garbage dies young; 1,000 small files still take only a fraction of a second.
 */
export async function describeBuckets(
  store: TokenStore,
  provider: ProviderName,
  environment: NodeJS.ProcessEnv,
  nowMs: number,
): Promise<BucketAuthStatus[]> {
  const statuses: BucketAuthStatus[] = [];
  let buckets: string[];
  try {
    buckets = await store.list(provider);
  } catch (error) {
    // The folder, not a file: reported as files are, for the provider's every bucket. Anything
    // else (a cluster's Redis away) is no property of the buckets and is thrown.
    if (error instanceof UnreadableFolderError || error instanceof SymbolicLinkError)
      return [unreadable(everyBucket, error)];
    throw error;
  }
  for (const bucket of buckets) statuses.push(await describeBucket(store, provider, bucket, environment, nowMs));
  return statuses;
}

export async function describeBucket(
  store: TokenStore,
  provider: ProviderName,
  bucket: string,
  environment: NodeJS.ProcessEnv,
  nowMs: number,
): Promise<BucketAuthStatus> {
  try {
    const stored = await store.read(provider, bucket);
    if (stored === null)
      return { bucket, kind: 'oauth', status: 'needs-login', hasRefreshToken: false, reason: 'no-credentials' };
    return describeCredential(bucket, stored, environment, nowMs);
  } catch (error) {
    return unreadable(bucket, error);
  }
}

/** The bucket name of the one entry that reports a provider folder as unreadable. */
export const everyBucket = '*';

function unreadable(bucket: string, error: unknown): BucketAuthStatus {
  return {
    bucket,
    kind: 'oauth',
    status: 'unreadable',
    hasRefreshToken: false,
    error: error instanceof Error ? error.message : String(error),
  };
}

function describeCredential(
  bucket: string,
  stored: StoredCredential,
  environment: NodeJS.ProcessEnv,
  nowMs: number,
): BucketAuthStatus {
  if (isApiKeyReference(stored)) {
    const present = Boolean(environment[stored.env]?.trim());
    return { bucket, kind: 'api-key', status: present ? 'ok' : 'missing-key', hasRefreshToken: false, env: stored.env };
  }
  const status: BucketAuthStatus = {
    bucket,
    kind: 'oauth',
    status: stored.needs_login ? 'needs-login' : isExpired(stored, nowMs) ? 'expired' : 'ok',
    hasRefreshToken: stored.refresh_token !== undefined,
  };
  if (stored.expires_at !== undefined) status.expiresAt = stored.expires_at;
  if (stored.scope !== undefined) status.scope = stored.scope;
  if (stored.needs_login) status.reason = stored.needs_login.reason;
  return status;
}
