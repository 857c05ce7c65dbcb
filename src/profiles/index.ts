export { readActiveProfile, writeActiveProfile } from './active-profile.js';
export { listProfiles } from './list-profiles.js';
export { defaultExampleDirectory } from './locations.js';
export { ProfileNotFoundError } from './profile-not-found-error.js';
export { loadProfile, readProfileFile } from './read-profile.js';
export { ProfileCycleError, resolveChain } from './resolve-chain.js';
export { deleteProfile, saveLoadBalancerProfile, saveModelProfile, type ModelProfileInput } from './save-profile.js';
export type { BucketLimits, Chain, LoadBalancerProfile, ModelProfile, Policy, Profile, ProfileEntry, ProfileLocations, Target } from './types.js';
