import { isValidName } from '../core/names.js';
import { profileDirectories, profileFilesIn } from './profile-files.js';
import { readProfileFile } from './read-profile.js';
import { flattenProfile } from './resolve-chain.js';
import { nameRule } from './schema.js';
import type { ProfileEntry, ProfileLocations } from './types.js';

/** The user's profiles first, then examples they do not shadow; a bad file is listed with its error, not thrown. */
export async function listProfiles(locations: ProfileLocations): Promise<ProfileEntry[]> {
  const entries: ProfileEntry[] = [];
  const seen = new Set<string>();
  for (const { directory, source } of profileDirectories(locations)) {
    for (const { name, path } of await profileFilesIn(directory, source)) {
      if (seen.has(name)) continue;
      seen.add(name);
      entries.push(await readEntry(name, source, path));
    }
  }
  // A load balancer whose member was deleted reads fine but cannot be loaded: say so in the list,
  // where a user looks before `serve` refuses it.
  const names = new Set(entries.map((entry) => entry.name));
  for (const entry of entries) {
    if (entry.profile?.type !== 'loadbalancer') continue;
    const missing = entry.profile.profiles.find((member) => !names.has(member));
    const reason =
      missing !== undefined ? `it lists "${missing}", which does not exist` : await brokenChainReason(locations, entry);
    if (reason !== undefined) entry.error = reason;
  }
  return entries;
}

/** Deeper faults (a cycle, a broken member further down), with the resolver's own message. */
async function brokenChainReason(locations: ProfileLocations, entry: ProfileEntry): Promise<string | undefined> {
  try {
    await flattenProfile(locations, { name: entry.name, path: entry.path, profile: entry.profile! });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function readEntry(name: string, source: ProfileEntry['source'], path: string): Promise<ProfileEntry> {
  if (!isValidName(name))
    return { name, source, path, error: `the file name is not a valid profile name; rename the file (${nameRule})` };
  try {
    const profile = await readProfileFile(path);
    return profile
      ? { name, source, path, profile }
      : { name, source, path, error: 'the file was removed while listing' };
  } catch (error) {
    return { name, source, path, error: error instanceof Error ? error.message : String(error) };
  }
}
