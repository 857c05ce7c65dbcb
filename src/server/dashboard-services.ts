import { join } from 'node:path';
import type { TokenKeySetting } from '../auth/token-key.js';
import type { TokenStore } from '../auth/token-store.js';
import type { SwitchyardPaths } from '../config/paths.js';
import type { Settings } from '../config/settings.js';
import type { Clock } from '../core/types.js';
import { BodyCapture } from '../dashboard/body-capture.js';
import { DashboardObserver } from '../dashboard/dashboard-observer.js';
import { HistoryFile } from '../dashboard/history-file.js';
import { knownSecrets } from '../dashboard/known-secrets.js';
import { RecentRequests } from '../dashboard/recent-requests.js';
import { SharedSeries } from '../dashboard/shared-series.js';
import { SharedUsage } from '../dashboard/shared-usage.js';
import { TimeSeries } from '../dashboard/time-series.js';
import { UsageLedger } from '../dashboard/usage-ledger.js';
import type { StateBackend } from '../state/state-backend.js';
import type { ServerContext } from './server-context.js';

export interface DashboardServicesOptions {
  paths: SwitchyardPaths;
  settings: Settings;
  state: Pick<StateBackend, 'history' | 'usageHistory'>;
  clock: Clock;
  encryption: TokenKeySetting;
  store: TokenStore;
  environment: NodeJS.ProcessEnv;
  warn: (message: string) => void;
}

/**
 * What the dashboard keeps: the charts' series, the usage and cost ledger, the recent-requests
 * log and, when on, the captured bodies. Embedded, the series and usage persist in series.json
 * and usage.json; in cluster mode each instance shares its own through Redis and shows everyone's.
 */
export class DashboardServices {
  private constructor(
    readonly series: TimeSeries,
    readonly usage: UsageLedger,
    readonly recent: RecentRequests,
    readonly bodies: BodyCapture | undefined,
    private readonly seriesFile: HistoryFile | undefined,
    private readonly usageFile: HistoryFile | undefined,
    private readonly sharedSeries: SharedSeries | undefined,
    private readonly sharedUsage: SharedUsage | undefined,
  ) {}

  /** Loads the kept history; nothing is written or shared until `start()`. */
  static async open(options: DashboardServicesOptions): Promise<DashboardServices> {
    const { paths, settings, state, clock, encryption, warn } = options;
    const series = new TimeSeries(clock);
    const seriesFile =
      state.history === undefined
        ? new HistoryFile(join(paths.home, 'series.json'), series, 'the chart history', warn)
        : undefined;
    await seriesFile?.load();
    const sharedSeries = state.history === undefined ? undefined : new SharedSeries(state.history, series, warn);
    const usage = new UsageLedger(clock.now());
    const usageFile =
      state.usageHistory === undefined
        ? new HistoryFile(join(paths.home, 'usage.json'), usage, 'the usage history', warn)
        : undefined;
    await usageFile?.load();
    const sharedUsage = state.usageHistory === undefined ? undefined : new SharedUsage(state.usageHistory, usage, warn);
    const bodies =
      settings.dashboard?.captureBodies && encryption.kind === 'key'
        ? await BodyCapture.open({
            directory: join(paths.home, 'request-bodies'),
            key: encryption,
            limitBytes: settings.dashboard.captureBodyBytes,
            secrets: knownSecrets(options.store, options.environment),
            onError: warn,
          })
        : undefined;
    const recent = new RecentRequests(
      clock,
      {
        keepMinutes: settings.dashboard?.requestLogMinutes ?? 60,
        keepRequests: settings.dashboard?.requestLogSize ?? 5_000,
      },
      (id) => bodies?.forget(id),
    );
    return new DashboardServices(series, usage, recent, bodies, seriesFile, usageFile, sharedSeries, sharedUsage);
  }

  /** The observer that feeds them from every request. */
  observer(): DashboardObserver {
    return new DashboardObserver(this.series, this.recent, this.usage, this.bodies);
  }

  /** What the routes read (ServerContext.dashboard). */
  view(): NonNullable<ServerContext['dashboard']> {
    return {
      series: this.series,
      seriesView: (range, by) => this.sharedSeries?.view(range, by) ?? Promise.resolve(this.series.view(range, by)),
      recent: this.recent,
      usage: this.usage,
      usageView: () => this.sharedUsage?.combined() ?? Promise.resolve(this.usage.toFile()),
      ...(this.bodies !== undefined ? { bodies: this.bodies } : {}),
    };
  }

  /** Starts writing and sharing; only once listening, so that a failed start leaves no timer behind. */
  start(): void {
    this.seriesFile?.startWriting();
    this.sharedSeries?.startSharing();
    this.usageFile?.startWriting();
    this.sharedUsage?.startSharing();
  }

  /** Writes what is left and stops. */
  async close(): Promise<void> {
    await this.seriesFile?.close();
    await this.sharedSeries?.close();
    await this.usageFile?.close();
    await this.sharedUsage?.close();
  }
}
