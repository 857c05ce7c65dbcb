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

/**
 * Deletes one of the user's profiles; bundled examples are refused, and so is a profile that load
 * balancers list (they would fail to load) unless `force` is set.
 */
export async function deleteProfile(
  locations: ProfileLocations,
  name: string,
  options: { force?: boolean } = {},
): Promise<DeletedProfile> {
  const file = await locateProfile(locations, name);
  if (!file) throw new ProfileNotFoundError(name, await existingProfileNames(locations));
  if (file.source === 'example') throw new ExampleProfileError(name);
  // An example of the same name shows through once the user's copy is gone; nothing then references a ghost.
  const exampleShowsThrough =
    locations.exampleDirectory !== undefined &&
    (await locateProfile({ userDirectory: locations.exampleDirectory, exampleDirectory: undefined }, name)) !== null;
  const referencedBy = exampleShowsThrough
    ? []
    : (await listProfiles(locations))
        .filter((entry) => entry.profile?.type === 'loadbalancer' && entry.profile.profiles.includes(name))
        .map((entry) => entry.name);
  if (referencedBy.length > 0 && !options.force) throw new ProfileInUseError(name, referencedBy);
  await unlink(file.path);
  return { path: file.path, referencedBy };
}

/** A profile that load balancers list: deleting it would break them. */
export class ProfileInUseError extends Error {
  override readonly name = 'ProfileInUseError';
  constructor(
    readonly profile: string,
    readonly referencedBy: string[],
  ) {
    const one = referencedBy.length === 1;
    super(
      `"${profile}" is used by the load balancer${one ? '' : 's'} ${referencedBy.join(', ')}, which would ` +
        `fail to load without it. Save ${one ? 'it' : 'them'} without "${profile}" first ` +
        `(switchyard profile save loadbalancer NAME POLICY PROFILE...), or delete anyway with --force.`,
    );
  }
}
