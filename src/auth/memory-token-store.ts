import { assertBucketName } from '../core/names.js';
import type { ProviderName } from '../core/types.js';
import { createInProcessRefreshLock } from './refresh-lock.js';
import type { StoredCredential } from './token-file.js';
import type { TokenStore } from './token-store.js';

/** A store in memory (tests, the demo); entries are copied so callers cannot change them in place. */
export function createMemoryTokenStore(initial: Iterable<[ProviderName, string, StoredCredential]> = []): TokenStore {
  const entries = new Map<string, StoredCredential>();
  const key = (provider: ProviderName, bucket: string) => `${provider}/${assertBucketName(bucket)}`;
  for (const [provider, bucket, credential] of initial) entries.set(key(provider, bucket), structuredClone(credential));
  return {
    read: async (provider, bucket) => {
      const credential = entries.get(key(provider, bucket));
      return credential === undefined ? null : structuredClone(credential);
    },
    write: async (provider, bucket, credential) => {
      entries.set(key(provider, bucket), structuredClone(credential));
    },
    delete: async (provider, bucket) => entries.delete(key(provider, bucket)),
    list: async (provider) =>
      [...entries.keys()]
        .filter((entry) => entry.startsWith(`${provider}/`))
        .map((entry) => entry.slice(provider.length + 1))
        .sort(),
    refreshLock: createInProcessRefreshLock(),
  };
}
