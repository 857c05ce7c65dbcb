import { constants, type Dirent } from 'node:fs';
import { copyFile, link, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type SwitchyardPaths, tokenFilePath } from '../config/paths.js';
import { readJsonOrNull } from '../config/secure-files.js';
import { isValidName } from '../core/names.js';
import { resolveProviderName } from '../core/provider-names.js';
import type { ProviderName } from '../core/types.js';
import { decryptTokenJson, isEncryptedEnvelope } from './token-encryption.js';
import { parseStoredCredential } from './token-file.js';
import type { TokenKeySetting } from './token-key.js';
import type { TokenStore } from './token-store.js';

/** A token file in an older layout, and the bucket it belongs to now. */
export interface LegacyTokenFile {
  path: string;
  provider: ProviderName;
  bucket: string;
}

export interface LegacyMigrationOutcome extends LegacyTokenFile {
  /** `superseded`: the bucket already had a file; the old one was renamed (see `renamedTo`) and not used. */
  action: 'migrated' | 'superseded' | 'failed';
  /** For `superseded`: the new name, `*.superseded`, or `*.superseded-2`... when that one is taken. */
  renamedTo?: string;
  /** For `failed`: why (the file is left where it was). */
  error?: string;
}

/**
 * Token files directly under `oauth/` are older layouts: `oauth/<provider>.json` (one login per
 * provider, before buckets) is the `default` bucket, and `oauth/<provider>-<bucket>.json`
 * (flat, one file per bucket) is `<bucket>`. Today's layout is `oauth/<provider>/<bucket>.json`.
 */
export async function findLegacyTokenFiles(paths: SwitchyardPaths): Promise<LegacyTokenFile[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(paths.oauth, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const found: LegacyTokenFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const stem = entry.name.slice(0, -'.json'.length);
    const dash = stem.indexOf('-');
    const providerPart = dash === -1 ? stem : stem.slice(0, dash);
    const bucket = dash === -1 ? 'default' : stem.slice(dash + 1);
    // Only canonical provider names: an alias file (claude.json) would be a guess.
    const provider = resolveProviderName(providerPart);
    if (provider === undefined || provider !== providerPart || !isValidName(bucket)) continue;
    found.push({ path: join(paths.oauth, entry.name), provider, bucket });
  }
  return found.sort((left, right) => left.path.localeCompare(right.path));
}

/**
 * Moves legacy token files into today's layout, once: each is validated, written through the
 * store (encrypted when a key is set) under the bucket's refresh lock, and then removed. A bucket
 * that already has a file keeps it; the legacy file is renamed `*.superseded` so it is not tried
 * again. An unreadable legacy file is left untouched and reported.
 */
export async function migrateLegacyTokenFiles(
  paths: SwitchyardPaths,
  store: TokenStore,
  encryption: TokenKeySetting,
): Promise<LegacyMigrationOutcome[]> {
  const outcomes: LegacyMigrationOutcome[] = [];
  for (const legacy of await findLegacyTokenFiles(paths)) {
    const migrate = async (): Promise<LegacyMigrationOutcome | undefined> => {
      try {
        const json = await readJsonOrNull(legacy.path);
        if (json === null) return undefined; // another process migrated it meanwhile
        const credential = parseStoredCredential(
          isEncryptedEnvelope(json) ? decryptTokenJson(json, encryption, legacy.path) : json,
          legacy.path,
        );
        if (await bucketHasFile(store, legacy)) {
          return { ...legacy, action: 'superseded', renamedTo: await renameWithoutOverwriting(legacy.path) };
        }
        await store.write(legacy.provider, legacy.bucket, credential);
        await unlink(legacy.path);
        return { ...legacy, action: 'migrated' };
      } catch (error) {
        return { ...legacy, action: 'failed', error: error instanceof Error ? error.message : String(error) };
      }
    };
    const outcome = store.refreshLock
      ? await store.refreshLock.withLock(legacy.provider, legacy.bucket, migrate)
      : await migrate();
    if (outcome) outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * Renames `path` to `<path>.superseded`, or the first of `.superseded-2`, `-3`... that is free: an
 * earlier superseded file may hold the only copy of a refresh token. A hard link fails rather
 * than replace (rename would not), then the old name goes; where links are not supported, a copy
 * made only if the name is free does the same.
 */
async function renameWithoutOverwriting(path: string): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    const candidate = `${path}.superseded${attempt === 1 ? '' : `-${attempt}`}`;
    try {
      await link(path, candidate);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      try {
        await copyFile(path, candidate, constants.COPYFILE_EXCL);
      } catch (copyError) {
        if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw copyError;
      }
    }
    await unlink(path);
    return candidate;
  }
}

/** True when the bucket's file exists, readable or not (an unreadable one is still the user's newer file). */
async function bucketHasFile(store: TokenStore, legacy: LegacyTokenFile): Promise<boolean> {
  try {
    return (await store.read(legacy.provider, legacy.bucket)) !== null;
  } catch {
    return true;
  }
}

/** One line per outcome, for the CLI and the server's start-up warnings. */
export function describeLegacyMigration(outcome: LegacyMigrationOutcome, paths: SwitchyardPaths): string {
  const target = tokenFilePath(paths, outcome.provider, outcome.bucket);
  switch (outcome.action) {
    case 'migrated':
      return `moved ${outcome.path} (older layout) to ${target}.`;
    case 'superseded':
      return (
        `${target} already exists, so the older ${outcome.path} was not used; it ` +
        `was renamed ${outcome.renamedTo ?? `${outcome.path}.superseded`} (delete it once you are sure).`
      );
    case 'failed':
      return `could not move ${outcome.path} (older layout) to ${target}: ${outcome.error ?? 'unknown error'}`;
  }
}
