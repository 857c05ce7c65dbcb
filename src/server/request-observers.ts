import { join } from 'node:path';
import type { TokenManager } from '../auth/token-manager.js';
import { ClientStatisticsStore } from '../clients/client-statistics.js';
import type { SwitchyardPaths } from '../config/paths.js';
import type { Settings } from '../config/settings.js';
import { providerNames } from '../core/provider-names.js';
import type { Clock, ProviderName } from '../core/types.js';
import { DashboardObserver } from '../dashboard/dashboard-observer.js';
import { RecentRequests } from '../dashboard/recent-requests.js';
import { SeriesFile } from '../dashboard/series-file.js';
import { SharedSeries } from '../dashboard/shared-series.js';
import { TimeSeries } from '../dashboard/time-series.js';
import { UsageLedger } from '../dashboard/usage-ledger.js';
import { SwitchyardMetrics } from '../metrics/switchyard-metrics.js';
import { combineObservers, type RequestObserver } from '../router/router-observer.js';
import type { StateBackend } from '../state/state-backend.js';
import type { ActiveProfiles } from './active-profiles.js';
import { knownBuckets } from './known-buckets.js';

export interface RequestObserverParts {
  metrics: SwitchyardMetrics;
  clientStatistics: ClientStatisticsStore;
  series: TimeSeries;
  /** Embedded: the charts' history, kept in series.json. */
  seriesFile: SeriesFile | undefined;
  /** Cluster mode: each instance's history shared through Redis. */
  sharedSeries: SharedSeries | undefined;
  recent: RecentRequests;
  usage: UsageLedger;
  /** All of the above that hear requests, and `extra`, as one observer. */
  observer: RequestObserver | undefined;
}

/** Everything that hears every request: metrics, client statistics, the dashboard's charts and request log. */
export async function createRequestObservers(parts: {
  paths: SwitchyardPaths;
  settings: Settings;
  clock: Clock;
  state: StateBackend;
  tokens: TokenManager;
  profiles: ActiveProfiles;
  clientNames: readonly string[];
  extra: RequestObserver[];
  warn: (message: string) => void;
}): Promise<RequestObserverParts> {
  const { paths, settings, clock, state, tokens, profiles, warn } = parts;
  const { states, statistics } = state;
  const metrics = new SwitchyardMetrics({
    clock,
    states,
    knownBuckets: async () => knownBuckets(statistics, states, profiles),
    tokenExpiries: () => tokenExpiries(tokens),
    quota: state.quota,
  });
  tokens.onRefresh((provider, bucket) => metrics.tokenRefreshed(provider, bucket));
  tokens.onRefreshFailure((provider, bucket, reason) => metrics.tokenRefreshFailed(provider, bucket, reason));
  const clientStatistics = new ClientStatisticsStore(clock, parts.clientNames);
  // The dashboard's charts and request log. Embedded, the charts' history is kept in series.json;
  // in cluster mode each instance shares its own through Redis and draws everyone's.
  const series = new TimeSeries(clock);
  const seriesFile =
    state.history === undefined ? new SeriesFile(join(paths.home, 'series.json'), series, warn) : undefined;
  await seriesFile?.load();
  const sharedSeries = state.history === undefined ? undefined : new SharedSeries(state.history, series, warn);
  const recent = new RecentRequests(clock, {
    keepMinutes: settings.dashboard?.requestLogMinutes ?? 60,
    keepRequests: settings.dashboard?.requestLogSize ?? 5_000,
  });
  const usage = new UsageLedger();
  const observer = combineObservers([
    metrics,
    clientStatistics,
    new DashboardObserver(series, recent, usage),
    ...parts.extra,
  ]);
  return { metrics, clientStatistics, series, seriesFile, sharedSeries, recent, usage, observer };
}

/** Every stored OAuth token's expiry, for the metrics; read when /metrics is scraped. */
async function tokenExpiries(
  tokens: TokenManager,
): Promise<{ provider: ProviderName; bucket: string; expiresAt: number }[]> {
  const expiries: { provider: ProviderName; bucket: string; expiresAt: number }[] = [];
  for (const provider of providerNames) {
    for (const entry of await tokens.describe(provider).catch(() => [])) {
      if (entry.kind === 'oauth' && entry.expiresAt !== undefined)
        expiries.push({ provider, bucket: entry.bucket, expiresAt: entry.expiresAt });
    }
  }
  return expiries;
}
