import { readdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertBucketName, isValidName } from '../core/names.js';
import type { ProviderName } from '../core/types.js';
import { tokenFilePath, type SwitchyardPaths } from '../config/paths.js';
import { ensurePrivateDirectory, readJsonOrNull, writePrivateJson } from '../config/secure-files.js';
import { providerNames } from '../providers/names.js';
import { createFileRefreshLock, type FileRefreshLockOptions } from './file-refresh-lock.js';
import { parseStoredCredential } from './token-file.js';
import type { TokenStore } from './token-store.js';

export interface FileTokenStoreOptions {
  lock?: FileRefreshLockOptions;
}

/** Token files under `SWITCHYARD_HOME/oauth/<provider>/<bucket>.json`: 0600 files, 0700 directories, atomic writes. */
export function createFileTokenStore(paths: SwitchyardPaths, options: FileTokenStoreOptions = {}): TokenStore {
  const pathOf = (provider: ProviderName, bucket: string) => tokenFilePath(paths, assertProvider(provider), assertBucketName(bucket));
  return {
    async read(provider, bucket) {
      const path = pathOf(provider, bucket);
      const json = await readJsonOrNull(path);
      return json === null ? null : parseStoredCredential(json, path);
    },
    async write(provider, bucket, credential) {
      const path = pathOf(provider, bucket);
      // The home directory may predate us with looser modes; tokens live below it.
      await ensurePrivateDirectory(paths.home);
      await ensurePrivateDirectory(paths.oauth);
      await ensurePrivateDirectory(dirname(path));
      await writePrivateJson(path, credential);
    },
    async delete(provider, bucket) {
      try {
        await unlink(pathOf(provider, bucket));
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    },
    async list(provider) {
      let names: string[];
      try {
        names = await readdir(join(paths.oauth, assertProvider(provider)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      // Lock directories and half-written temporary files are not buckets.
      return names
        .filter((name) => name.endsWith('.json'))
        .map((name) => name.slice(0, -'.json'.length))
        .filter(isValidName)
        .sort();
    },
    refreshLock: createFileRefreshLock(paths, options.lock),
  };
}

/** Provider names become directory names: refuse anything that is not one of ours. */
function assertProvider(provider: ProviderName): ProviderName {
  if (!providerNames.includes(provider)) throw new Error(`Unknown provider "${String(provider).slice(0, 40)}".`);
  return provider;
}
