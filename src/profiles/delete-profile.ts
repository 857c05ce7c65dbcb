import { unlink } from 'node:fs/promises';
import { ExampleProfileError } from './example-profile-error.js';
import { listProfiles } from './list-profiles.js';
import { existingProfileNames, locateProfile } from './profile-files.js';
import { ProfileNotFoundError } from './profile-not-found-error.js';
import type { ProfileLocations } from './types.js';

export interface DeletedProfile {
  path: string;
  /** Load-balancer profiles that still list the deleted one (they fail to resolve until edited). */
  referencedBy: string[];
}

/** Deletes one of the user's profiles; bundled examples are refused. */
export async function deleteProfile(locations: ProfileLocations, name: string): Promise<DeletedProfile> {
  const file = await locateProfile(locations, name);
  if (!file) throw new ProfileNotFoundError(name, await existingProfileNames(locations));
  if (file.source === 'example') throw new ExampleProfileError(name);
  await unlink(file.path);
  // An example of the same name may now show through; it is still a profile, so nothing references a ghost.
  if (await locateProfile(locations, name)) return { path: file.path, referencedBy: [] };
  const referencedBy = (await listProfiles(locations))
    .filter((entry) => entry.profile?.type === 'loadbalancer' && entry.profile.profiles.includes(name))
    .map((entry) => entry.name);
  return { path: file.path, referencedBy };
}
