import { Document, isSeq, visit } from 'yaml';
import { writePrivateFile } from '../config/secure-files.js';
import { ConfigFileError, parseYamlText } from '../config/yaml-file.js';
import { assertBucketName, assertProfileName } from '../core/names.js';
import type { ProviderName } from '../core/types.js';
import { InvalidProfileError } from './invalid-profile-error.js';
import { existingProfileNames, locateProfile, userProfilePath } from './profile-files.js';
import { validateProfile } from './read-profile.js';
import { flattenProfile } from './resolve-chain.js';
import type {
  BucketLimits,
  LoadBalancerProfile,
  ModelProfile,
  Policy,
  Profile,
  ProfileLocations,
  ProfileTimeouts,
} from './types.js';

export interface ModelProfileInput {
  provider: ProviderName;
  model?: string;
  /** Client model name -> this provider's model (`*`: any other). */
  models?: Record<string, string>;
  buckets: string[];
  policy?: Policy;
  sticky?: boolean;
  limits?: BucketLimits;
  /** Kept when a profile is edited from the dashboard, so an edit loses nothing the file had. */
  timeouts?: ProfileTimeouts;
}

/** What was written, and where. */
export interface SavedProfile<P extends Profile> {
  name: string;
  path: string;
  profile: P;
}

/** Saves a model profile in the user's folder (YAML, atomic, 0600), replacing one of the same name. */
export async function saveModelProfile(
  locations: ProfileLocations,
  name: string,
  input: ModelProfileInput,
): Promise<SavedProfile<ModelProfile>> {
  assertProfileName(name);
  input.buckets.forEach(assertBucketName);
  // Key order is the order a person would write them in (see the bundled examples).
  const profile: ModelProfile = {
    type: 'model',
    provider: input.provider,
    ...(input.model !== undefined ? { model: input.model } : {}),
    ...(input.models !== undefined ? { models: input.models } : {}),
    buckets: input.buckets,
    ...(input.policy !== undefined ? { policy: input.policy } : {}),
    ...(input.sticky !== undefined ? { sticky: input.sticky } : {}),
    ...(input.limits !== undefined ? { limits: input.limits } : {}),
    ...(input.timeouts !== undefined ? { timeouts: input.timeouts } : {}),
  };
  const path = userProfilePath(locations, name);
  const text = checkedYaml(name, path, profile);
  await writePrivateFile(path, text);
  return { name, path, profile };
}

/**
 * Saves a load-balancer profile. Every member must exist, and the result must resolve: a
 * circle or a broken member is refused before anything is written, so an existing profile of
 * the same name is never lost to a bad replacement.
 */
export async function saveLoadBalancerProfile(
  locations: ProfileLocations,
  name: string,
  policy: Policy,
  members: string[],
): Promise<SavedProfile<LoadBalancerProfile>> {
  assertProfileName(name);
  members.forEach(assertProfileName);
  const profile: LoadBalancerProfile = { type: 'loadbalancer', policy, profiles: members };
  const path = userProfilePath(locations, name);
  const text = checkedYaml(name, path, profile);
  const missing: string[] = [];
  for (const member of members) {
    // A profile listing itself is a circle, reported as one by flattenProfile below.
    if (member !== name && !(await locateProfile(locations, member))) missing.push(member);
  }
  if (missing.length > 0) {
    const existing = await existingProfileNames(locations);
    throw new InvalidProfileError(
      name,
      'profiles',
      `unknown member profile${missing.length > 1 ? 's' : ''} ${missing.map((member) => `"${member}"`).join(', ')}`,
      existing.length > 0
        ? `save it first, or use one of: ${existing.slice(0, 30).join(', ')}`
        : 'save the member profiles first',
    );
  }
  await flattenProfile(locations, { name, path, profile });
  await writePrivateFile(path, text);
  return { name, path, profile };
}

/**
 * The YAML for a profile, read back through the same loader as a hand-written file, so that
 * whatever is saved also loads (names, duplicates, limits).
 */
function checkedYaml(name: string, path: string, profile: Profile): string {
  const document = new Document(profile);
  // Lists of names read best on one line, as in the bundled examples.
  visit(document, {
    Seq(_key, node) {
      if (isSeq(node)) node.flow = true;
    },
  });
  const text = document.toString({ lineWidth: 0, flowCollectionPadding: false });
  try {
    validateProfile(parseYamlText(path, text));
  } catch (error) {
    if (error instanceof ConfigFileError)
      throw new InvalidProfileError(name, error.field, error.problem, error.hint, { cause: error });
    throw error;
  }
  return text;
}
