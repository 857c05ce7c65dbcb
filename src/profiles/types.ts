import type { BucketKey, ProviderName } from '../core/types.js';

export type Policy = 'failover' | 'roundrobin';

export interface BucketLimits {
  maxConcurrent?: number;
  requestsPerMinute?: number;
}

export interface ModelProfile {
  type: 'model';
  provider: ProviderName;
  model?: string;
  /** Client model name -> this provider's model; `*` matches any other name. Wins over `model`. */
  models?: Record<string, string>;
  buckets: string[];
  policy?: Policy;
  sticky?: boolean;
  limits?: BucketLimits;
}

export interface LoadBalancerProfile {
  type: 'loadbalancer';
  policy: Policy;
  profiles: string[];
  sticky?: boolean;
}

export type Profile = ModelProfile | LoadBalancerProfile;

/** One bucket as the router sees it, in priority order. */
export interface Target {
  provider: ProviderName;
  bucket: string;
  key: BucketKey;
  model: string | undefined;
  /** The profile's model map (client name -> provider model), when it has one. */
  models?: Readonly<Record<string, string>>;
  limits: BucketLimits | undefined;
  /** The model profile it came from. */
  profile: string;
}

/** A profile flattened into the buckets it routes to. */
export interface Chain {
  name: string;
  policy: Policy;
  sticky: boolean;
  targets: Target[];
}

/** Where a profile came from: the user's SWITCHYARD_HOME/profiles, or the package's examples. */
export type ProfileSource = 'user' | 'example';

/** One line of `profile list`: a profile, or the reason its file could not be used. */
export interface ProfileEntry {
  name: string;
  source: ProfileSource;
  path: string;
  profile?: Profile;
  error?: string;
}

/** Where profiles live: the user's folder first, then the bundled examples. */
export interface ProfileLocations {
  userDirectory: string;
  exampleDirectory: string | undefined;
}
