import { NeedsLoginError } from '../auth/needs-login-error.js';
import type { ProviderName } from '../core/types.js';
import { cliTokenStore } from './cluster-access.js';
import type { CliIo } from './io.js';

/**
 * After `profile save`: names each bucket that has neither a login nor a key yet, with the command
 * that sets it up. A typo in a bucket name would otherwise be found only when every request fails.
 * Only a warning: saving the profile before logging in is a fine order too.
 */
export async function warnAboutUnknownBuckets(io: CliIo, provider: ProviderName, buckets: string[]): Promise<void> {
  let unknown: string[];
  try {
    const store = await cliTokenStore(io);
    unknown = [];
    for (const bucket of new Set(buckets)) if ((await store.read(provider, bucket)) === null) unknown.push(bucket);
  } catch {
    // An unreadable token file or an unreachable cluster store: `auth status` says more; the save stands.
    return;
  }
  for (const bucket of unknown) {
    const fix = new NeedsLoginError(provider, bucket, 'no-credentials').message;
    io.stderr(`switchyard: warning: unknown bucket: ${fix} Until then this profile skips it.\n`);
  }
}
