import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigFileError, lineOf, readYamlFile, validateYaml } from '../config/yaml-file.js';
import { assertProfileName } from '../core/names.js';
import { ProfileNotFoundError } from './profile-not-found-error.js';
import { loadBalancerProfileSchema, modelProfileSchema, profileHint } from './schema.js';
import type { Profile, ProfileLocations } from './types.js';

/** Parses and validates one profile file; null when it does not exist. */
export async function readProfileFile(path: string): Promise<Profile | null> {
  const parsed = await readYamlFile(path);
  if (parsed === null) return null;
  const raw = parsed.value;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigFileError(path, 1, undefined, 'a profile must be a mapping of keys to values', profileHint(undefined, 'type'));
  }
  const type = (raw as { type?: unknown }).type;
  if (type !== 'model' && type !== 'loadbalancer') {
    const problem = type === undefined ? 'missing' : `unknown profile type ${JSON.stringify(type)}`;
    throw new ConfigFileError(path, lineOf(parsed, ['type']), 'type', problem, profileHint(undefined, 'type'));
  }
  const schema = type === 'model' ? modelProfileSchema : loadBalancerProfileSchema;
  return validateYaml<Profile>(path, parsed, schema, (field) => profileHint(type, field));
}

export function userProfilePath(locations: ProfileLocations, name: string): string {
  return join(locations.userDirectory, `${name}.yaml`);
}

/** Profile names in a folder (files ending in .yaml or .yml), sorted. */
export async function profileNamesIn(directory: string | undefined): Promise<{ name: string; path: string }[]> {
  if (directory === undefined) return [];
  const files = await readdir(directory).catch(() => [] as string[]);
  return files
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => ({ name: file.replace(/\.ya?ml$/, ''), path: join(directory, file) }))
    .sort((left, right) => left.name.localeCompare(right.name));
}

/** Finds a profile: the user's file first, then the bundled example. */
export async function locateProfile(locations: ProfileLocations, name: string): Promise<{ path: string; source: 'user' | 'example' } | null> {
  assertProfileName(name);
  for (const [directory, source] of [
    [locations.userDirectory, 'user'],
    [locations.exampleDirectory, 'example'],
  ] as const) {
    if (directory === undefined) continue;
    for (const extension of ['yaml', 'yml']) {
      const path = join(directory, `${name}.${extension}`);
      const profile = await readYamlExists(path);
      if (profile) return { path, source };
    }
  }
  return null;
}

async function readYamlExists(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}

/** Loads a profile by name; unknown names list what exists. */
export async function loadProfile(locations: ProfileLocations, name: string): Promise<Profile> {
  const found = await locateProfile(locations, name);
  if (!found) {
    const existing = [...(await profileNamesIn(locations.userDirectory)), ...(await profileNamesIn(locations.exampleDirectory))].map((entry) => entry.name);
    throw new ProfileNotFoundError(name, [...new Set(existing)]);
  }
  const profile = await readProfileFile(found.path);
  if (!profile) throw new ProfileNotFoundError(name, []);
  return profile;
}
