import { writePrivateFile } from '../config/secure-files.js';
import type { BucketKey, BucketState, Clock } from '../core/types.js';
import { MemoryStatisticsStore } from './memory-statistics-store.js';
import type { BucketStatistics } from './statistics.js';
import { StatsFileBuilder } from './stats-file-builder.js';

export interface FileStatisticsOptions {
  path: string;
  clock: Clock;
  initial: Record<string, BucketStatistics>;
  /** Bucket states are persisted beside the counters so a restart remembers spent quotas. */
  states: () => Iterable<[BucketKey, BucketState]>;
  statesVersion: () => number;
  flushIntervalMs: number;
  onError: (error: unknown) => void;
}

/** Statistics in memory, written to stats.json in batches (at most once per interval), never per request. */
export class FileStatisticsStore extends MemoryStatisticsStore {
  private readonly timer: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private writtenStatesVersion: number;
  private readonly fileBuilder = new StatsFileBuilder();

  constructor(private readonly options: FileStatisticsOptions) {
    super(options.clock, options.initial);
    this.writtenStatesVersion = options.statesVersion();
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    this.timer.unref();
  }

  override flush(): Promise<void> {
    const statesVersion = this.options.statesVersion();
    if (!this.changed && statesVersion === this.writtenStatesVersion) return this.writing;
    this.changed = false;
    this.writtenStatesVersion = statesVersion;
    // Taken now, as bytes: nothing is copied to outlive the write.
    const content = this.fileBuilder.build(this.buckets, this.options.states(), this.clock.now());
    // Writes are chained so an older snapshot never lands after a newer one.
    this.writing = this.writing
      .then(() => writePrivateFile(this.options.path, content))
      .catch((error: unknown) => {
        this.changed = true;
        this.options.onError(error);
      });
    return this.writing;
  }

  override async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
