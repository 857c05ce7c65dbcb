import { readdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type SwitchyardPaths, tokenFilePath } from '../config/paths.js';
import {
  ensurePrivateDirectoriesFrom,
  readJsonOrNull,
  refuseSymbolicLink,
  writePrivateJson,
} from '../config/secure-files.js';
import { assertBucketName, isValidName } from '../core/names.js';
import { providerNames } from '../core/provider-names.js';
import type { ProviderName } from '../core/types.js';
import { createFileRefreshLock, type FileRefreshLockOptions } from './file-refresh-lock.js';
import { decryptTokenJson, encryptTokenJson, isEncryptedEnvelope } from './token-encryption.js';
import { parseStoredCredential } from './token-file.js';
import { readTokenKey, type TokenKeySetting } from './token-key.js';
import { TokenKeyError } from './token-key-error.js';
import type { TokenStore } from './token-store.js';

export interface FileTokenStoreOptions {
  lock?: FileRefreshLockOptions;
  /** Encryption at rest (default: SWITCHYARD_TOKEN_KEY of this process, so no writer forgets it). */
  encryption?: TokenKeySetting;
}

/**
 * Token files under `SWITCHYARD_HOME/oauth/<provider>/<bucket>.json`: 0600 files, 0700
 * directories, atomic writes; AES-256-GCM envelopes when a token key is configured (plaintext
 * files still read, and are encrypted on their next write).
 */
export function createFileTokenStore(paths: SwitchyardPaths, options: FileTokenStoreOptions = {}): TokenStore {
  const pathOf = (provider: ProviderName, bucket: string) =>
    tokenFilePath(paths, assertProvider(provider), assertBucketName(bucket));
  const encryption = options.encryption ?? readTokenKey(process.env);
  /** The folders above a token file, never links (the file itself is opened without following one). */
  const refuseLinkedFolders = async (provider: ProviderName) => {
    await refuseSymbolicLink(paths.oauth);
    await refuseSymbolicLink(join(paths.oauth, provider));
  };
  return {
    async read(provider, bucket) {
      const path = pathOf(provider, bucket);
      await refuseLinkedFolders(provider);
      const json = await readJsonOrNull(path);
      if (json === null) return null;
      return parseStoredCredential(isEncryptedEnvelope(json) ? decryptTokenJson(json, encryption, path) : json, path);
    },
    async write(provider, bucket, credential) {
      const path = pathOf(provider, bucket);
      // Never fall back to plaintext when the user asked for encryption.
      if (encryption.kind === 'malformed') throw new TokenKeyError(encryption.problem, path);
      // The home directory may predate us with looser modes; tokens live below it.
      await ensurePrivateDirectoriesFrom(paths.home, dirname(path));
      await writePrivateJson(
        path,
        encryption.kind === 'key' ? encryptTokenJson(credential, encryption.key) : credential,
      );
    },
    async delete(provider, bucket) {
      const path = pathOf(provider, bucket);
      await refuseLinkedFolders(provider);
      try {
        // unlink removes a link itself, never its target.
        await unlink(path);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    },
    async list(provider) {
      const folder = join(paths.oauth, assertProvider(provider));
      await refuseLinkedFolders(provider);
      let names: string[];
      try {
        names = await readdir(folder);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return [];
        throw new UnreadableFolderError(folder, code ?? String(error), { cause: error });
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

/** A provider's token folder exists but cannot be listed (another owner, no permission, not a folder). */
export class UnreadableFolderError extends Error {
  override readonly name = 'UnreadableFolderError';
  constructor(
    readonly path: string,
    code: string,
    options?: ErrorOptions,
  ) {
    super(
      `${path} cannot be read (${code}), so its buckets cannot be listed; it should be this ` +
        `user's folder with mode 0700 (chmod 700 ${path}).`,
      options,
    );
  }
}

/** Provider names become directory names: refuse anything that is not one of ours. */
function assertProvider(provider: ProviderName): ProviderName {
  if (!providerNames.includes(provider)) throw new Error(`Unknown provider "${String(provider).slice(0, 40)}".`);
  return provider;
}
