import { dirname } from 'node:path';
import { type SwitchyardPaths, tokenFilePath } from '../config/paths.js';
import { ensurePrivateDirectoriesFrom } from '../config/secure-files.js';
import { assertBucketName } from '../core/names.js';
import type { ProviderName } from '../core/types.js';
import { RefreshFailedError } from './refresh-failed-error.js';
import type { RefreshLock } from './refresh-lock.js';

/** A lock not touched for this long belongs to a dead process and is taken over. */
const staleMs = 30_000;

export interface FileRefreshLockOptions {
  /** How patiently to wait for another process's refresh (default: about 15 s in total). */
  retries?: { retries: number; minTimeout: number; maxTimeout: number; factor?: number };
}

/**
 * A lock beside the token file (`<bucket>.json.lock`, a directory, as proper-lockfile makes
 * them) so that two switchyard processes never refresh one bucket at once: a refresh token
 * sent twice is revoked by some providers (codex `refresh_token_reused`).
 */
export function createFileRefreshLock(paths: SwitchyardPaths, options: FileRefreshLockOptions = {}): RefreshLock {
  const retries = options.retries ?? { retries: 40, minTimeout: 20, maxTimeout: 500, factor: 1.3 };
  return {
    async withLock(provider, bucket, fn) {
      const file = tokenFilePath(paths, provider, assertBucketName(bucket));
      await ensurePrivateDirectoriesFrom(paths.home, dirname(file));
      // Loaded with the first refresh, not at start-up: proper-lockfile brings graceful-fs, which
      // patches fs when it loads, and signal-exit.
      const { default: lockfile } = await import('proper-lockfile');
      let release: () => Promise<void>;
      try {
        release = await lockfile.lock(file, {
          realpath: false, // the token file may not exist yet
          lockfilePath: `${file}.lock`,
          stale: staleMs,
          retries: { ...retries, randomize: true },
          // The default throws from a timer (crashing the process); the compare-and-swap write
          // after the refresh already protects the file if the lock was lost.
          onCompromised: () => undefined,
        });
      } catch (error) {
        throw lockError(provider, bucket, file, error);
      }
      try {
        return await fn();
      } finally {
        await release().catch(() => undefined);
      }
    },
  };
}

function lockError(provider: ProviderName, bucket: string, file: string, cause: unknown): RefreshFailedError {
  return new RefreshFailedError(provider, bucket, {
    url: `${file}.lock`,
    errorCode: 'lock_timeout',
    isRetryable: true,
    cause,
  });
}
