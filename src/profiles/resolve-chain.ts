import { ConfigFileError, lineOf, type ParsedYaml } from '../config/yaml-file.js';
import { type BucketKey, bucketKey } from '../core/types.js';
import { ProfileCycleError } from './profile-cycle-error.js';
import { existingProfileNames } from './profile-files.js';
import { ProfileNotFoundError } from './profile-not-found-error.js';
import { findProfile } from './read-profile.js';
import type { Chain, Profile, ProfileLocations, Target } from './types.js';

/** A profile to flatten; `parsed` is absent for one that is about to be saved and is not on disk yet. */
export interface ChainRoot {
  name: string;
  path: string;
  profile: Profile;
  parsed?: ParsedYaml;
}

/** Flattens a profile into its buckets in priority order; nested load balancers are followed, cycles refused. */
export async function resolveChain(locations: ProfileLocations, name: string): Promise<Chain> {
  return flattenProfile(locations, await findProfile(locations, name));
}

/**
 * Flattens a profile given in memory, reading its members from disk. The chain's policy and
 * stickiness are the top profile's; a bucket reached twice keeps its first (higher) place.
 */
export async function flattenProfile(locations: ProfileLocations, root: ChainRoot): Promise<Chain> {
  const loaded = new Map<string, ChainRoot>([[root.name, root]]);
  const targets: Target[] = [];
  const seenKeys = new Set<BucketKey>();

  const visit = async (current: ChainRoot, trail: string[]): Promise<void> => {
    const { profile } = current;
    if (profile.type === 'model') {
      for (const bucket of profile.buckets) {
        const key = bucketKey(profile.provider, bucket);
        if (seenKeys.has(key)) continue;
        seenKeys.add(key);
        const target: Target = {
          provider: profile.provider,
          bucket,
          key,
          model: profile.model,
          limits: profile.limits,
          profile: current.name,
        };
        if (profile.models !== undefined) target.models = profile.models;
        if (profile.timeouts) target.timeouts = profile.timeouts;
        targets.push(target);
      }
      return;
    }
    for (const [index, member] of profile.profiles.entries()) {
      const start = trail.indexOf(member);
      if (start !== -1) throw new ProfileCycleError([...trail.slice(start), member], current.path);
      let next = loaded.get(member);
      if (!next) {
        next = await loadMember(locations, current, index, member);
        loaded.set(member, next);
      }
      await visit(next, [...trail, member]);
    }
  };

  await visit(root, [root.name]);
  const chain: Chain = {
    name: root.name,
    policy: root.profile.policy ?? 'failover',
    sticky: root.profile.sticky ?? false,
    targets,
  };
  if (root.profile.timeouts) chain.timeouts = root.profile.timeouts;
  if (root.profile.threshold !== undefined) chain.threshold = root.profile.threshold / 100;
  if (root.profile.reserve !== undefined) chain.reserve = root.profile.reserve / 100;
  return chain;
}

/** Reads a load balancer's member; a missing one is reported in the file that lists it, at its line. */
async function loadMember(
  locations: ProfileLocations,
  parent: ChainRoot,
  index: number,
  member: string,
): Promise<ChainRoot> {
  try {
    return await findProfile(locations, member);
  } catch (error) {
    if (!(error instanceof ProfileNotFoundError)) throw error;
    const existing = (await existingProfileNames(locations)).filter((name) => name !== parent.name);
    throw new ConfigFileError(
      parent.path,
      [
        {
          line: parent.parsed ? lineOf(parent.parsed, ['profiles', index]) : undefined,
          field: `profiles[${index}]`,
          problem: `unknown profile "${member}"`,
          hint:
            existing.length > 0
              ? `profiles that exist: ${existing.slice(0, 30).join(', ')}`
              : 'save the member profile first',
        },
      ],
      { cause: error },
    );
  }
}
