export { forgetActiveProfile, readActiveProfile, writeActiveProfile } from './active-profile.js';
export { type DeletedProfile, deleteProfile, ProfileInUseError } from './delete-profile.js';
export { ExampleProfileError } from './example-profile-error.js';
export { InvalidProfileError } from './invalid-profile-error.js';
export { listProfiles } from './list-profiles.js';
export { defaultExampleDirectory, profileLocations } from './locations.js';
export { ProfileCycleError } from './profile-cycle-error.js';
export { locateProfile, type ProfileFile } from './profile-files.js';
export { ProfileNotFoundError } from './profile-not-found-error.js';
export { findProfile, type LoadedProfile, loadProfile, readProfileFile } from './read-profile.js';
export { type ChainRoot, flattenProfile, resolveChain } from './resolve-chain.js';
export {
  type ModelProfileInput,
  type SavedProfile,
  saveLoadBalancerProfile,
  saveModelProfile,
} from './save-profile.js';
export type {
  BucketLimits,
  Chain,
  LoadBalancerProfile,
  ModelProfile,
  Policy,
  Profile,
  ProfileEntry,
  ProfileLocations,
  ProfileSource,
  Target,
} from './types.js';
