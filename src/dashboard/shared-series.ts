import type { HistoryShelf } from '../state/history-shelf.js';
import { type SeriesKind, type SeriesRange, type SeriesView, TimeSeries } from './time-series.js';

/** How often an instance shares its snapshot when it changed: the other instances' charts lag by this much. */
const shareIntervalMs = 2_000;

/**
 * Cluster mode: this instance's chart history shared through Redis (a snapshot per instance),
 * and charts drawn from every instance's, so each shows the cluster's traffic and a restart
 * (which starts a new snapshot) keeps the history.
 */
export class SharedSeries {
  private timer: NodeJS.Timeout | undefined;
  private sharedVersion = -1;
  private sharing: Promise<void> = Promise.resolve();

  constructor(
    private readonly shelf: HistoryShelf,
    private readonly series: TimeSeries,
    private readonly onError: (message: string) => void,
  ) {}

  startSharing(): void {
    this.timer = setInterval(() => void this.share(), shareIntervalMs);
    this.timer.unref();
  }

  share(): Promise<void> {
    if (this.series.version === this.sharedVersion) return this.sharing;
    this.sharedVersion = this.series.version;
    const text = JSON.stringify(this.series.toFile());
    this.sharing = this.sharing
      .then(() => this.shelf.save(text))
      .catch((error: unknown) => {
        // Tried again at the next turn.
        this.sharedVersion = -1;
        this.onError(`cannot share the chart history through Redis: ${String(error)}`);
      });
    return this.sharing;
  }

  /** This instance's series plus every other instance's (without them when Redis is away). */
  async view(range: SeriesRange, by: SeriesKind): Promise<SeriesView> {
    const others = await this.shelf.others().catch(() => []);
    if (others.length === 0) return this.series.view(range, by);
    const merged = new TimeSeries(this.series.timeSource);
    merged.merge(this.series.toFile());
    for (const text of others) {
      try {
        merged.merge(JSON.parse(text));
      } catch {
        // A snapshot that does not parse is skipped; its instance writes a whole one next time.
      }
    }
    return merged.view(range, by);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.share();
  }
}
