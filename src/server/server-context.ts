import type { ClientDirectory } from '../clients/client-directory.js';
import type { ClientStatisticsStore } from '../clients/client-statistics.js';
import type { SwitchyardPaths } from '../config/paths.js';
import type { Clock } from '../core/types.js';
import type { BodyCapture } from '../dashboard/body-capture.js';
import type { RecentRequests } from '../dashboard/recent-requests.js';
import type { SeriesKind, SeriesRange, SeriesView, TimeSeries } from '../dashboard/time-series.js';
import type { UsageFile, UsageLedger } from '../dashboard/usage-ledger.js';
import type { SwitchyardMetrics } from '../metrics/switchyard-metrics.js';
import type { Router } from '../router/router.js';
import type { RequestObserver } from '../router/router-observer.js';
import type { BucketStateStore } from '../state/bucket-state-store.js';
import type { PausedBuckets } from '../state/paused-buckets.js';
import type { QuotaStore } from '../state/quota-store.js';
import type { StateHealth } from '../state/state-backend.js';
import type { StatisticsStore } from '../state/statistics.js';
import type { ActiveProfiles } from './active-profiles.js';
import type { AuthAdministration } from './auth-administration.js';
import type { WebLogins } from './web-logins.js';

/** Everything the HTTP layer needs, passed in so tests can build an app around their own pieces. */
export interface ServerContext {
  router: Router;
  profiles: ActiveProfiles;
  states: BucketStateStore;
  statistics: StatisticsStore;
  /** What answers said about each bucket's usage windows (absent in tests that build their own context). */
  quota?: QuotaStore;
  /** Buckets paused by hand (`switchyard bucket pause`). */
  paused?: PausedBuckets;
  auth: AuthAdministration;
  /** Logins started from the dashboard (absent in tests that build their own context). */
  logins?: WebLogins;
  /** SWITCHYARD_HOME's files: config.yaml's default profile (absent in tests that build their own context). */
  paths?: SwitchyardPaths;
  clock: Clock;
  /** Client keys (config.yaml `clients:` and SWITCHYARD_API_KEY): when any is set, every request must carry one. */
  clients: ClientDirectory;
  /** Per-client counts, for /stats/clients. */
  clientStatistics: ClientStatisticsStore;
  /** The dashboard's history: chart series and recent requests (absent in tests that build their own context). */
  dashboard?: {
    series: TimeSeries;
    /** The charts: this instance's series, plus the other instances' in cluster mode. */
    seriesView(range: SeriesRange, by: SeriesKind): Promise<SeriesView>;
    recent: RecentRequests;
    usage: UsageLedger;
    /** Usage since it was first counted: this instance's, plus the other instances' in cluster mode. */
    usageView(): Promise<UsageFile>;
    /** The captured bodies, when `dashboard.captureBodies` is on. */
    bodies?: BodyCapture;
  };
  /** Prometheus metrics, for /metrics. */
  metrics: SwitchyardMetrics;
  /** Hears refused requests (metrics, logs, client statistics); the router hears the rest. */
  observer: RequestObserver | undefined;
  /** SWITCHYARD_ADMIN_KEY: when set, token and profile administration needs it. */
  adminKey: string | undefined;
  bodyLimitBytes: number;
  /** Where the error boundary reports an unexpected error (message, stack and cause): the server's warnings. */
  reportError: (message: string) => void;
  startedAt: number;
  version: string;
  /** Where shared state lives, for /health (absent: the embedded stores). */
  stateHealth?: () => StateHealth;
  /** Cluster mode: tells every instance to switch when this one's active profile is changed over HTTP. */
  announceProfile?: (name: string) => Promise<void>;
}
