import type { RoutingSettings } from '../config/settings.js';
import type { Clock } from '../core/types.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { BucketSlots } from '../state/bucket-limits.js';
import type { BucketStateStore } from '../state/bucket-state-store.js';
import type { PausedBuckets } from '../state/paused-buckets.js';
import type { QuotaStore } from '../state/quota-store.js';
import type { SessionStickiness } from '../state/session-affinity.js';
import type { StatisticsStore } from '../state/statistics.js';
import type { CredentialSource } from './credential-source.js';
import type { RouterObserver } from './router-observer.js';
import type { Timers } from './timers.js';
import type { UpstreamClient } from './upstream-client.js';

/** The router's seams: everything it reads, writes and calls is passed in (tests pass fakes). */
export interface RouterDependencies {
  providers: ProviderRegistry;
  credentials: CredentialSource;
  states: BucketStateStore;
  statistics: StatisticsStore;
  /** What answers say about each bucket's usage windows (absent: not kept). */
  quota?: QuotaStore;
  /** Buckets paused by hand: never selected until resumed. */
  paused?: PausedBuckets;
  /** The provider calls: undici in the server, a scripted fake in the router's unit tests. */
  upstream: Pick<UpstreamClient, 'send'>;
  clock: Clock;
  routing: RoutingSettings;
  /** Per-bucket limits (default: this process's limiters; cluster mode: held across instances in Redis). */
  limiters?: BucketSlots;
  /** Session stickiness per chain (default: this process's memory; cluster mode: shared in Redis). */
  sessions?: (chain: string) => SessionStickiness;
  /**
   * A number from 0 up to 1 for each spread login re-check wait (default Math.random); injectable
   * so tests know the waits.
   */
  random?: () => number;
  /** Backoff between retries on the same bucket; injectable so tests do not wait. */
  sleep?: (milliseconds: number) => Promise<void>;
  /** The request deadline and first-byte timers; injectable so tests can fire them by hand. */
  timers?: Timers;
  /** Metrics, logs and client statistics hear each attempt, failover and finished request. */
  observer?: RouterObserver | undefined;
}

/** Backoff sleeps that do not keep the process alive. */
export const defaultSleep = (milliseconds: number): Promise<void> =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds).unref());
