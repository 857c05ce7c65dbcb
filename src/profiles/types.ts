import type { BucketKey, ProviderName } from '../core/types.js';

export type Policy = 'failover' | 'roundrobin' | 'balance';

export interface BucketLimits {
  maxConcurrent?: number;
  requestsPerMinute?: number;
}

/** How long a request may take, overriding config.yaml's routing defaults (milliseconds). */
export interface ProfileTimeouts {
  /** The whole request, failovers and streaming included. */
  requestMs?: number;
  /** One attempt, until the client's first byte can go out. */
  firstByteMs?: number;
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
  /** `balance`: the used share (percent) past which a session leaves its bucket; default: the warning, or 90. */
  threshold?: number;
  /** `balance`: the percent of every window kept unused, for the account's owner. */
  reserve?: number;
  limits?: BucketLimits;
  timeouts?: ProfileTimeouts;
}

export interface LoadBalancerProfile {
  type: 'loadbalancer';
  policy: Policy;
  profiles: string[];
  sticky?: boolean;
  threshold?: number;
  reserve?: number;
  timeouts?: ProfileTimeouts;
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
  /** That model profile's timeouts, when it sets any. */
  timeouts?: ProfileTimeouts;
}

/** A profile flattened into the buckets it routes to. */
export interface Chain {
  name: string;
  policy: Policy;
  sticky: boolean;
  /** `balance`: the used share (0-1) past which a session moves; undefined: the provider's warning or 90 %. */
  threshold?: number;
  /** `balance`: the share (0-1) of every window kept unused. */
  reserve?: number;
  targets: Target[];
  /** The top profile's timeouts, when it sets any. */
  timeouts?: ProfileTimeouts;
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
