import type { TokenManager } from '../auth/token-manager.js';
import { providerNames } from '../core/provider-names.js';
import { bucketKey, type ProviderName } from '../core/types.js';
import type { BucketStateStore } from '../state/bucket-state-store.js';
import type { StateBackend } from '../state/state-backend.js';

/** How many remembered `needs-login` marks are re-read at once at start. */
export const startRechecksAtOnce = 8;

/**
 * How stale the server's view of a bucket with no stored login may get: the login watch below
 * tells of a new one at once (the token folders are also polled each second, Redis announces
 * its own), so re-reading the missing login at each re-check is only a fallback for a watch that
 * missed it.
 */
export const absentLoginRereadMs = 60_000;

export interface LoginRecheckOptions {
  state: Pick<StateBackend, 'watchLogins'>;
  states: BucketStateStore;
  tokens: Pick<TokenManager, 'reloadLogin'>;
  warn: (message: string) => void;
}

/**
 * Keeps `needs-login` honest: a bucket is marked so when its login failed, and the mark is lifted
 * as soon as a new login is stored (the CLI's `auth login` or `import`, another instance), not
 * at its next request, which may never come while statistics, dashboard and metrics say it
 * needs login. Marks restored from stats.json are checked once at start for the same reason.
 */
export async function startLoginRecheck({ state, states, tokens, warn }: LoginRecheckOptions): Promise<void> {
  const recheck = async (provider: ProviderName, bucket: string): Promise<void> => {
    // Read now in any case: the next request then uses the new tokens without a lazy re-read.
    const usable = await tokens.reloadLogin(provider, bucket);
    const key = bucketKey(provider, bucket);
    if (usable && states.get(key)?.status === 'needs-login') states.clear(key);
  };
  const report = (provider: ProviderName, bucket: string) =>
    recheck(provider, bucket).catch((error: unknown) =>
      warn(`re-reading ${provider}/${bucket}: ${error instanceof Error ? error.message : String(error)}`),
    );
  await state.watchLogins((provider, bucket) => void report(provider, bucket));
  const marked: Array<[ProviderName, string]> = [];
  for (const [key, bucketState] of states.entries()) {
    if (bucketState.status !== 'needs-login') continue;
    const slash = key.indexOf('/');
    const provider = key.slice(0, slash) as ProviderName;
    if (providerNames.includes(provider)) marked.push([provider, key.slice(slash + 1)]);
  }
  // A few at a time, in the background: a home remembering 10,000 buckets without a login
  // read them all at once, and 10,000 file reads in flight (each missing file an error with its
  // stack) took two seconds and left the server at twice its usual memory.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < marked.length) {
      const [provider, bucket] = marked[next++]!;
      await report(provider, bucket);
    }
  };
  for (let index = 0; index < Math.min(startRechecksAtOnce, marked.length); index += 1) void worker();
}
