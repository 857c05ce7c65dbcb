import { bucketKey } from '../core/types.js';
import { loadProfile } from './read-profile.js';
import type { Chain, ProfileLocations, Target } from './types.js';

export class ProfileCycleError extends Error {
  override readonly name = 'ProfileCycleError';
  constructor(readonly cycle: string[]) {
    super(`Profiles refer to each other in a circle: ${cycle.join(' -> ')}. Remove one of the references.`);
  }
}

/** Flattens a profile into its buckets in priority order; nested load balancers are followed, cycles refused. */
export async function resolveChain(locations: ProfileLocations, name: string): Promise<Chain> {
  const top = await loadProfile(locations, name);
  const targets: Target[] = [];
  const seenKeys = new Set<string>();
  const visit = async (profileName: string, trail: string[], referencedBy: string | undefined): Promise<void> => {
    if (trail.includes(profileName)) throw new ProfileCycleError([...trail.slice(trail.indexOf(profileName)), profileName]);
    let profile;
    try {
      profile = profileName === name ? top : await loadProfile(locations, profileName);
    } catch (error) {
      if (error instanceof Error && error.name === 'ProfileNotFoundError' && referencedBy) {
        throw new Error(`Profile "${referencedBy}" lists "${profileName}", which does not exist. ${error.message}`, { cause: error });
      }
      throw error;
    }
    if (profile.type === 'loadbalancer') {
      for (const member of profile.profiles) await visit(member, [...trail, profileName], profileName);
      return;
    }
    for (const bucket of profile.buckets) {
      const key = bucketKey(profile.provider, bucket);
      if (seenKeys.has(key)) continue;
      seenKeys.add(key);
      targets.push({ provider: profile.provider, bucket, key, model: profile.model, limits: profile.limits, profile: profileName });
    }
  };
  await visit(name, [], undefined);
  return { name, policy: top.policy ?? 'failover', sticky: top.sticky ?? false, targets };
}
