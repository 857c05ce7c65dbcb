import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { assertProfileName, isValidName } from '../core/names.js';
import type { ProfileLocations, ProfileSource } from './types.js';

/** A profile file on disk, before it is read. */
export interface ProfileFile {
  name: string;
  source: ProfileSource;
  path: string;
}

/** `.yaml` is what switchyard writes; `.yml` is accepted for hand-made files, `.yaml` winning a tie. */
const extensions = ['yaml', 'yml'] as const;

/** The folders to search, the user's first (so a user's profile shadows an example of the same name). */
export function profileDirectories(locations: ProfileLocations): { directory: string; source: ProfileSource }[] {
  const directories: { directory: string; source: ProfileSource }[] = [
    { directory: locations.userDirectory, source: 'user' },
  ];
  if (locations.exampleDirectory !== undefined)
    directories.push({ directory: locations.exampleDirectory, source: 'example' });
  return directories;
}

/** The path a user profile is saved to. */
export function userProfilePath(locations: ProfileLocations, name: string): string {
  return join(locations.userDirectory, `${assertProfileName(name)}.yaml`);
}

/** Profile files in one folder, sorted by name, one per name; a missing folder has none. */
export async function profileFilesIn(directory: string, source: ProfileSource): Promise<ProfileFile[]> {
  let files: string[];
  try {
    files = await readdir(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
  const byName = new Map<string, ProfileFile>();
  for (const extension of extensions) {
    for (const file of files) {
      if (!file.endsWith(`.${extension}`)) continue;
      const name = file.slice(0, -(extension.length + 1));
      if (name !== '' && !byName.has(name)) byName.set(name, { name, source, path: join(directory, file) });
    }
  }
  return [...byName.values()].sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
}

/** Finds a profile's file: the user's first, then the bundled example; the name is checked before any disk access. */
export async function locateProfile(locations: ProfileLocations, name: string): Promise<ProfileFile | null> {
  assertProfileName(name);
  for (const { directory, source } of profileDirectories(locations)) {
    for (const extension of extensions) {
      const path = join(directory, `${name}.${extension}`);
      if (await isFile(path)) return { name, source, path };
    }
  }
  return null;
}

/** Every profile name that exists, the user's first, for "did you mean" lists. */
export async function existingProfileNames(locations: ProfileLocations): Promise<string[]> {
  const names = new Set<string>();
  for (const { directory, source } of profileDirectories(locations)) {
    for (const file of await profileFilesIn(directory, source).catch(() => [])) {
      if (isValidName(file.name)) names.add(file.name);
    }
  }
  return [...names];
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}
