import type { ProviderName } from '../core/types.js';
import type { RefreshLock } from './refresh-lock.js';
import type { StoredCredential } from './token-file.js';

/** Where buckets' credentials live: one entry per provider and bucket. */
export interface TokenStore {
  /** Missing reads as null; an unreadable entry throws (CorruptFileError, InvalidTokenFileError) and is left alone. */
  read(provider: ProviderName, bucket: string): Promise<StoredCredential | null>;
  /** Atomic: a crash leaves the old or the new credential, never a torn one. */
  write(provider: ProviderName, bucket: string, credential: StoredCredential): Promise<void>;
  /** True when there was something to delete. */
  delete(provider: ProviderName, bucket: string): Promise<boolean>;
  /** Bucket names that have an entry, sorted. */
  list(provider: ProviderName): Promise<string[]>;
  /**
   * The lock that keeps refreshes of one bucket apart across everything sharing this store
   * (the file store: across processes). The token manager uses it unless given another.
   */
  readonly refreshLock?: RefreshLock;
}
