import { unlink } from 'node:fs/promises';
import { stringify } from 'yaml';
import { writePrivateFile } from '../config/secure-files.js';
import { assertBucketName, assertProfileName } from '../core/names.js';
import type { ProviderName } from '../core/types.js';
import { ProfileNotFoundError } from './profile-not-found-error.js';
import { locateProfile, userProfilePath } from './read-profile.js';
import { resolveChain } from './resolve-chain.js';
import type { BucketLimits, LoadBalancerProfile, ModelProfile, Policy, ProfileLocations } from './types.js';

export interface ModelProfileInput {
  provider: ProviderName;
  model?: string;
  buckets: string[];
  policy?: Policy;
  sticky?: boolean;
  limits?: BucketLimits;
}

/** Saves a model profile in the user's folder (atomic, 0600). */
export async function saveModelProfile(locations: ProfileLocations, name: string, input: ModelProfileInput): Promise<ModelProfile> {
  assertProfileName(name);
  if (input.buckets.length === 0) throw new Error('A model profile needs at least one bucket.');
  input.buckets.forEach(assertBucketName);
  const duplicate = input.buckets.find((bucket, index) => input.buckets.indexOf(bucket) !== index);
  if (duplicate) throw new Error(`Bucket "${duplicate}" is listed twice.`);
  const profile: ModelProfile = { type: 'model', provider: input.provider, buckets: input.buckets };
  if (input.model !== undefined) profile.model = input.model;
  if (input.policy !== undefined) profile.policy = input.policy;
  if (input.sticky !== undefined) profile.sticky = input.sticky;
  if (input.limits !== undefined) profile.limits = input.limits;
  await writePrivateFile(userProfilePath(locations, name), stringify(profile, { flow: false }));
  return profile;
}

/** Saves a load-balancer profile; every member must exist and no cycle may form. */
export async function saveLoadBalancerProfile(locations: ProfileLocations, name: string, policy: Policy, members: string[]): Promise<LoadBalancerProfile> {
  assertProfileName(name);
  if (members.length === 0) throw new Error('A load-balancer profile needs at least one member profile.');
  for (const member of members) {
    assertProfileName(member);
    if (member === name) throw new Error(`Profile "${name}" cannot list itself.`);
    if (!(await locateProfile(locations, member))) throw new Error(`Member profile "${member}" does not exist; save it first.`);
  }
  const profile: LoadBalancerProfile = { type: 'loadbalancer', policy, profiles: members };
  const path = userProfilePath(locations, name);
  await writePrivateFile(path, stringify(profile));
  try {
    await resolveChain(locations, name);
  } catch (error) {
    await unlink(path).catch(() => undefined);
    throw error;
  }
  return profile;
}

/** Deletes one of the user's profiles; bundled examples cannot be deleted. */
export async function deleteProfile(locations: ProfileLocations, name: string): Promise<void> {
  const found = await locateProfile(locations, name);
  if (!found) throw new ProfileNotFoundError(name, []);
  if (found.source === 'example') {
    throw new Error(`"${name}" is a bundled example, not one of your profiles; it cannot be deleted. Save your own under another name.`);
  }
  await unlink(found.path);
}
