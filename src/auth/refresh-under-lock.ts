import type { ProviderName } from '../core/types.js';
import { NeedsLoginError } from './needs-login-error.js';
import type { RefreshLock } from './refresh-lock.js';
import type { TokenAnswer } from './token-answer.js';
import { applyTokenAnswer } from './token-answer.js';
import { isApiKeyReference, type OAuthTokenSet, type StoredCredential } from './token-file.js';
import type { TokenStore } from './token-store.js';

export interface LockedRefreshInput {
  provider: ProviderName;
  bucket: string;
  store: TokenStore;
  lock: RefreshLock;
  /** Whether the set now in the store still needs refreshing; false means someone else did it: adopt it. */
  stillNeedsRefresh(stored: OAuthTokenSet): boolean;
  /** The token endpoint call (with its own bounded retries). */
  exchange(refreshToken: string): Promise<TokenAnswer>;
  /** Refresh tokens this process saw rejected, with the provider's error code; never sent again. */
  rejected: Map<string, string>;
  now(): number;
}

export interface LockedRefreshResult {
  credential: StoredCredential;
  /** True when a token request succeeded (statistics count it). */
  refreshed: boolean;
}

/**
 * One refresh of one bucket under the cross-process lock: re-read the store (another process
 * may have rotated the tokens already), refresh only if still needed, then write only if the
 * refresh token in the store is still the one we used (compare-and-swap), else adopt the store.
 */
export async function refreshUnderLock(input: LockedRefreshInput): Promise<LockedRefreshResult> {
  const { provider, bucket, store } = input;
  return input.lock.withLock(provider, bucket, async () => {
    const stored = usableTokens(provider, bucket, await store.read(provider, bucket));
    if (isApiKeyReference(stored) || !input.stillNeedsRefresh(stored)) return { credential: stored, refreshed: false };
    const refreshToken = stored.refresh_token;
    if (refreshToken === undefined) throw new NeedsLoginError(provider, bucket, 'no-refresh-token');
    const knownRejection = input.rejected.get(refreshToken);
    if (knownRejection !== undefined) {
      // The same dead token in another bucket (one login imported twice): mark this one too, without sending it.
      const error = new NeedsLoginError(provider, bucket, 'refresh-rejected', { detail: knownRejection });
      await markRejected(input, refreshToken, error);
      throw error;
    }

    let answer: TokenAnswer;
    try {
      answer = await input.exchange(refreshToken);
    } catch (error) {
      if (!(error instanceof NeedsLoginError)) throw error;
      input.rejected.set(refreshToken, error.detail ?? 'invalid_grant');
      const adopted = await markRejected(input, refreshToken, error);
      if (adopted) return { credential: adopted, refreshed: false };
      throw error;
    }

    const next = applyTokenAnswer(stored, answer, input.now());
    const latest = await store.read(provider, bucket);
    if (latest !== null && !isApiKeyReference(latest) && latest.refresh_token === refreshToken) {
      await store.write(provider, bucket, next);
      return { credential: next, refreshed: true };
    }
    // Written behind the lock's back (an import, a logout): that is the newer intent.
    return { credential: usableTokens(provider, bucket, latest), refreshed: true };
  });
}

/** The stored credential, or the NeedsLoginError that says why there is none to use. */
export function usableTokens(
  provider: ProviderName,
  bucket: string,
  stored: StoredCredential | null,
): StoredCredential {
  if (stored === null) throw new NeedsLoginError(provider, bucket, 'no-credentials');
  if (!isApiKeyReference(stored) && stored.needs_login) {
    throw new NeedsLoginError(provider, bucket, 'marked', { detail: stored.needs_login.reason });
  }
  return stored;
}

/**
 * Persists needs_login for a rejected refresh token, unless the store has meanwhile received a
 * different login, which is then returned to adopt.
 */
async function markRejected(
  input: LockedRefreshInput,
  refreshToken: string,
  error: NeedsLoginError,
): Promise<StoredCredential | undefined> {
  const { provider, bucket, store } = input;
  const latest = await store.read(provider, bucket);
  if (latest === null) return undefined;
  if (isApiKeyReference(latest)) return latest;
  if (latest.refresh_token !== refreshToken) return latest.needs_login === undefined ? latest : undefined;
  await store.write(provider, bucket, {
    ...latest,
    needs_login: { reason: error.detail ?? 'invalid_grant', since: Math.floor(input.now() / 1000) },
  });
  return undefined;
}
