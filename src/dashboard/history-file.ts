import { readJsonOrNull, writePrivateFile } from '../config/secure-files.js';

/** A history the server keeps across restarts: counted in memory, saved and merged back as JSON. */
export interface SavedHistory {
  /** Bumped on every change. */
  readonly version: number;
  toFile(): unknown;
  /** Adds a saved copy to what is counted (malformed parts are skipped). */
  merge(file: unknown): void;
}

/** How often a history is written when it changed: a crash loses at most this much. */
const writeIntervalMs = 60_000;

/**
 * Keeps a dashboard history in SWITCHYARD_HOME (`series.json`, `usage.json`; 0600, written
 * atomically), so it survives a restart: read once at start, written each minute when it
 * changed and at close.
 */
export class HistoryFile {
  private timer: NodeJS.Timeout | undefined;
  private writtenVersion = -1;
  private writing: Promise<void> = Promise.resolve();

  /** `what`: the history's name in warnings, e.g. "the chart history". */
  constructor(
    private readonly path: string,
    private readonly history: SavedHistory,
    private readonly what: string,
    private readonly onError: (message: string) => void,
  ) {}

  /** Takes back the saved history (a missing file is a first start; an unreadable one is reported and skipped). */
  async load(): Promise<void> {
    try {
      this.history.merge(await readJsonOrNull(this.path));
    } catch (error) {
      this.onError(`${this.what} in ${this.path} is unreadable and starts over: ${String(error)}`);
    }
    this.writtenVersion = this.history.version;
  }

  /** Writes each minute from now on (once the server listens: a failed start leaves no timer). */
  startWriting(): void {
    this.timer = setInterval(() => void this.write(), writeIntervalMs);
    this.timer.unref();
  }

  write(): Promise<void> {
    if (this.history.version === this.writtenVersion) return this.writing;
    this.writtenVersion = this.history.version;
    const content = JSON.stringify(this.history.toFile());
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
