import type { HistoryShelf } from '../state/history-shelf.js';
import { type UsageFile, UsageLedger } from './usage-ledger.js';

/** How often an instance shares its usage when it changed: the other instances' usage views lag by this much. */
const shareIntervalMs = 2_000;

/**
 * Cluster mode: this instance's usage shared through Redis (a snapshot per instance), and the
 * usage view drawn from every instance's, so each shows the cluster's tokens and cost and a
 * restart (which starts a new snapshot) keeps them.
 */
export class SharedUsage {
  private timer: NodeJS.Timeout | undefined;
  private sharedVersion = -1;
  private sharing: Promise<void> = Promise.resolve();

  constructor(
    private readonly shelf: HistoryShelf,
    private readonly usage: UsageLedger,
    private readonly onError: (message: string) => void,
  ) {}

  startSharing(): void {
    this.timer = setInterval(() => void this.share(), shareIntervalMs);
    this.timer.unref();
  }

  share(): Promise<void> {
    if (this.usage.version === this.sharedVersion) return this.sharing;
    this.sharedVersion = this.usage.version;
    const text = JSON.stringify(this.usage.toFile());
    this.sharing = this.sharing
      .then(() => this.shelf.save(text))
      .catch((error: unknown) => {
        // Tried again at the next turn.
        this.sharedVersion = -1;
        this.onError(`cannot share the usage history through Redis: ${String(error)}`);
      });
    return this.sharing;
  }

  /** This instance's usage plus every other instance's (without them when Redis is away). */
  async combined(): Promise<UsageFile> {
    const others = await this.shelf.others().catch(() => []);
    if (others.length === 0) return this.usage.toFile();
    const merged = new UsageLedger(this.usage.since);
    merged.merge(this.usage.toFile());
    for (const text of others) {
      try {
        merged.merge(JSON.parse(text));
      } catch {
        // A snapshot that does not parse is skipped; its instance writes a whole one next time.
      }
    }
    return merged.toFile();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.share();
  }
}
