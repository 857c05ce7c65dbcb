import { isApiKeyReference } from '../auth/token-file.js';
import type { TokenStore } from '../auth/token-store.js';
import { providerNames } from '../core/provider-names.js';

/** Secrets are looked up again at most this often (captured bodies are few; a fresh login shows within it). */
const refreshMs = 5_000;
/** Variables that hold switchyard's own keys. */
const ownKeyVariables = ['SWITCHYARD_ADMIN_KEY', 'SWITCHYARD_API_KEY', 'SWITCHYARD_TOKEN_KEY'];

/**
 * Every secret a captured body must never show: each bucket's access and refresh token or API
 * key (read from its variable), and switchyard's own keys. Cached for a few seconds.
 */
export function knownSecrets(store: TokenStore, environment: NodeJS.ProcessEnv): () => Promise<string[]> {
  let cached: { at: number; secrets: Promise<string[]> } | undefined;
  const collect = async (): Promise<string[]> => {
    const secrets = new Set<string>();
    for (const variable of ownKeyVariables) {
      const value = environment[variable];
      if (value) secrets.add(value);
    }
    for (const provider of providerNames) {
      for (const bucket of await store.list(provider).catch(() => [])) {
        const credential = await store.read(provider, bucket).catch(() => null);
        if (credential === null) continue;
        if (isApiKeyReference(credential)) {
          const key = environment[credential.env];
          if (key) secrets.add(key);
          continue;
        }
        secrets.add(credential.access_token);
        if (credential.refresh_token) secrets.add(credential.refresh_token);
      }
    }
    // Longest first, so that a secret containing another is replaced whole.
    return [...secrets].sort((left, right) => right.length - left.length);
  };
  return () => {
    const now = Date.now();
    if (cached === undefined || now - cached.at > refreshMs) cached = { at: now, secrets: collect() };
    return cached.secrets;
  };
}
