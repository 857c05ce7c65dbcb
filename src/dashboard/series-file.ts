import { readJsonOrNull, writePrivateFile } from '../config/secure-files.js';
import type { TimeSeries } from './time-series.js';

/** How often the time series is written when it changed: a crash loses at most this much history. */
const writeIntervalMs = 60_000;

/**
 * Keeps the time series in SWITCHYARD_HOME (`series.json`, 0600, written atomically), so the
 * charts survive a restart: read once at start, written each minute when it changed and at close.
 */
export class SeriesFile {
  private timer: NodeJS.Timeout | undefined;
  private writtenVersion = -1;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly series: TimeSeries,
    private readonly onError: (message: string) => void,
  ) {}

  /** Takes back the saved history (a missing file is a first start; an unreadable one is reported and skipped). */
  async load(): Promise<void> {
    try {
      this.series.merge(await readJsonOrNull(this.path));
    } catch (error) {
      this.onError(`the chart history in ${this.path} is unreadable and starts over: ${String(error)}`);
    }
    this.writtenVersion = this.series.version;
  }

  /** Writes each minute from now on (once the server listens: a failed start leaves no timer). */
  startWriting(): void {
    this.timer = setInterval(() => void this.write(), writeIntervalMs);
    this.timer.unref();
  }

  write(): Promise<void> {
    if (this.series.version === this.writtenVersion) return this.writing;
    this.writtenVersion = this.series.version;
    const content = JSON.stringify(this.series.toFile());
    this.writing = this.writing
      .then(() => writePrivateFile(this.path, content))
      .catch((error: unknown) => this.onError(`cannot write ${this.path}: ${String(error)}`));
    return this.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.write();
  }
}
