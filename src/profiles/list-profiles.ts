import { profileNamesIn, readProfileFile } from './read-profile.js';
import type { ProfileEntry, ProfileLocations } from './types.js';

/** The user's profiles first, then examples they do not shadow; a bad file is listed with its error. */
export async function listProfiles(locations: ProfileLocations): Promise<ProfileEntry[]> {
  const entries: ProfileEntry[] = [];
  const seen = new Set<string>();
  for (const [directory, source] of [
    [locations.userDirectory, 'user'],
    [locations.exampleDirectory, 'example'],
  ] as const) {
    for (const { name, path } of await profileNamesIn(directory)) {
      if (seen.has(name)) continue;
      seen.add(name);
      try {
        const profile = await readProfileFile(path);
        entries.push(profile ? { name, source, path, profile } : { name, source, path, error: 'vanished while listing' });
      } catch (error) {
        entries.push({ name, source, path, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return entries;
}
