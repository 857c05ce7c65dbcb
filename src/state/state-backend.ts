import type { TokenStore } from '../auth/token-store.js';
import type { ProviderName } from '../core/types.js';
import type { BucketSlots } from './bucket-limits.js';
import type { BucketStateStore } from './bucket-state-store.js';
import type { HistoryShelf } from './history-shelf.js';
import type { PausedBuckets } from './paused-buckets.js';
import type { QuotaStore } from './quota-store.js';
import type { SessionStickiness } from './session-affinity.js';
import type { StatisticsStore } from './statistics.js';

/** What `/health` says about where state lives. */
export type StateHealth = { backend: 'embedded' } | { backend: 'redis'; connected: boolean };

/** What follows the active profile: the server's ActiveProfiles. */
export interface ProfileSwitch {
  readonly current: string | undefined;
  activate(name: string): Promise<unknown>;
}

/**
 * Where a running server keeps its state, chosen once at start: embedded (this process's memory
 * and files under SWITCHYARD_HOME, see embedded-state.ts) or the cluster's shared state in Redis
 * (cluster/cluster-state.ts). Everything after the choice uses only this interface.
 */
export interface StateBackend {
  /** OAuth token sets and API keys of every bucket. */
  readonly tokens: TokenStore;
  /** Routing state of every bucket (cooling, exhausted, needs login). */
  readonly states: BucketStateStore;
  readonly statistics: StatisticsStore;
  /** What answers said about each bucket's usage windows (embedded: quota.json; cluster: Redis). */
  readonly quota: QuotaStore;
  /** Buckets paused by hand (embedded: paused.json; cluster: Redis). */
  readonly paused: PausedBuckets;
  /** Cluster mode: the instances' chart history (embedded, the server keeps series.json itself). */
  readonly history?: HistoryShelf;
  /** Cluster mode: the instances' usage (tokens per bucket, client and model); embedded, usage.json. */
  readonly usageHistory?: HistoryShelf;
  /** Per-bucket concurrency and request-rate slots (`limits:` in a profile). */
  readonly limiters: BucketSlots;
  /** Which bucket each client session of `chain` last used. */
  sessions(chain: string): SessionStickiness;
  /** The profile to start with when none is given: the cluster's choice, else the one `profile load` left. */
  activeProfile(): Promise<string | undefined>;
  /** Keeps `profiles` on the profile chosen for every instance (embedded: nothing else chooses). */
  followActiveProfile(profiles: ProfileSwitch, log: (message: string) => void): void;
  /** Tells every other instance that NAME is now the active profile (embedded: there are none). */
  announceProfile(name: string): Promise<void>;
  /**
   * Calls `listener` when a bucket's stored login changes from outside this process (the CLI's
   * login or import, another instance), promptly; ends with close().
   */
  watchLogins(listener: (provider: ProviderName, bucket: string) => void): Promise<void>;
  health(): StateHealth;
  /** Writes what is pending and lets go of files, timers and connections. */
  close(): Promise<void>;
}
