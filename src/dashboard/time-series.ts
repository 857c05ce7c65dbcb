import type { Clock } from '../core/types.js';

/** What one series counts in one minute. */
export interface MinuteCounts {
  requests: number;
  tokens: number;
  failovers: number;
  errors: number;
}

export type SeriesKind = 'bucket' | 'client';
export type SeriesRange = 'hour' | 'day' | 'week';

const minuteMs = 60_000;
const weekMinutes = 7 * 24 * 60;

/** Each range's span and the width of its points: 60 minutes, 144 ten-minute points, 168 hours. */
export const seriesRanges: Record<SeriesRange, { minutes: number; stepMinutes: number }> = {
  hour: { minutes: 60, stepMinutes: 1 },
  day: { minutes: 24 * 60, stepMinutes: 10 },
  week: { minutes: weekMinutes, stepMinutes: 60 },
};

/** `/dashboard/data/series`: one array per measure and series, aligned with `times`. */
export interface SeriesView {
  range: SeriesRange;
  by: SeriesKind;
  stepSeconds: number;
  /** Unix seconds at the start of each point. */
  times: number[];
  series: ({ name: string } & Record<keyof MinuteCounts, number[]>)[];
}

/** The file's shape: per minute (Unix minutes), per series (`bucket:anthropic/a`), the four counts in order. */
export interface SeriesFile {
  version: 1;
  minutes: Record<string, Record<string, [number, number, number, number]>>;
}

/**
 * Requests, tokens, failovers and errors per bucket and per client, minute by minute, for a week.
 * Only minutes with traffic are kept (a quiet pool costs nothing); `add` is a few map look-ups on
 * the request path, never I/O.
 */
export class TimeSeries {
  private readonly minutes = new Map<number, Map<string, MinuteCounts>>();
  /**
   * Per kind, name -> `kind:name`: the same few strings on every request, made once, so a look-up
   * hashes a string V8 has hashed before instead of a fresh one built per call. Names are the
   * configured buckets and clients, so this stays as small as the pool.
   */
  private readonly keys: Record<SeriesKind, Map<string, string>> = { bucket: new Map(), client: new Map() };
  /** Bumped on every change, so the writer knows when there is something to write. */
  version = 0;

  constructor(private readonly clock: Clock) {}

  /** The clock the series counts by (a merged copy uses the same). */
  get timeSource(): Clock {
    return this.clock;
  }

  add(kind: SeriesKind, name: string, counts: Partial<MinuteCounts>): void {
    const minute = Math.floor(this.clock.now() / minuteMs);
    let series = this.minutes.get(minute);
    if (series === undefined) {
      series = new Map();
      this.minutes.set(minute, series);
      this.prune(minute);
    }
    let key = this.keys[kind].get(name);
    if (key === undefined) {
      key = `${kind}:${name}`;
      this.keys[kind].set(name, key);
    }
    let cell = series.get(key);
    if (cell === undefined) {
      cell = { requests: 0, tokens: 0, failovers: 0, errors: 0 };
      series.set(key, cell);
    }
    cell.requests += counts.requests ?? 0;
    cell.tokens += counts.tokens ?? 0;
    cell.failovers += counts.failovers ?? 0;
    cell.errors += counts.errors ?? 0;
    this.version += 1;
  }

  /** The last `range` of series of one kind, in points of the range's step, oldest first. */
  view(range: SeriesRange, by: SeriesKind): SeriesView {
    const { minutes, stepMinutes } = seriesRanges[range];
    const nowMinute = Math.floor(this.clock.now() / minuteMs);
    const lastStep = Math.floor(nowMinute / stepMinutes);
    const points = Math.ceil(minutes / stepMinutes);
    const firstStep = lastStep - points + 1;
    const times = Array.from({ length: points }, (_, index) => (firstStep + index) * stepMinutes * 60);
    const byName = new Map<string, Record<keyof MinuteCounts, number[]>>();
    const prefix = `${by}:`;
    for (const [minute, series] of this.minutes) {
      const point = Math.floor(minute / stepMinutes) - firstStep;
      if (point < 0 || point >= points) continue;
      for (const [key, counts] of series) {
        if (!key.startsWith(prefix)) continue;
        const name = key.slice(prefix.length);
        let arrays = byName.get(name);
        if (arrays === undefined) {
          const zeros = () => new Array<number>(points).fill(0);
          arrays = { requests: zeros(), tokens: zeros(), failovers: zeros(), errors: zeros() };
          byName.set(name, arrays);
        }
        arrays.requests[point]! += counts.requests;
        arrays.tokens[point]! += counts.tokens;
        arrays.failovers[point]! += counts.failovers;
        arrays.errors[point]! += counts.errors;
      }
    }
    const series = [...byName]
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([name, arrays]) => ({ name, ...arrays }));
    return { range, by, stepSeconds: stepMinutes * 60, times, series };
  }

  toFile(): SeriesFile {
    const minutes: SeriesFile['minutes'] = {};
    for (const [minute, series] of this.minutes) {
      const entry: Record<string, [number, number, number, number]> = {};
      for (const [key, counts] of series)
        entry[key] = [counts.requests, counts.tokens, counts.failovers, counts.errors];
      minutes[String(minute)] = entry;
    }
    return { version: 1, minutes };
  }

  /**
   * Adds what a file (or another instance's snapshot) kept to these counts, skipping anything
   * malformed or older than a week rather than refusing to start.
   */
  merge(file: unknown): void {
    if (typeof file !== 'object' || file === null || (file as SeriesFile).version !== 1) return;
    const minutes = (file as SeriesFile).minutes;
    if (typeof minutes !== 'object' || minutes === null) return;
    const oldest = Math.floor(this.clock.now() / minuteMs) - weekMinutes;
    for (const [minuteText, series] of Object.entries(minutes)) {
      const minute = Number(minuteText);
      if (!Number.isInteger(minute) || minute < oldest || typeof series !== 'object' || series === null) continue;
      for (const [key, counts] of Object.entries(series)) {
        if (!/^(bucket|client):/.test(key) || !Array.isArray(counts) || counts.length !== 4) continue;
        if (!counts.every((count) => Number.isFinite(count) && count >= 0)) continue;
        const [requests, tokens, failovers, errors] = counts as number[];
        let cells = this.minutes.get(minute);
        if (cells === undefined) {
          cells = new Map();
          this.minutes.set(minute, cells);
        }
        const cell = cells.get(key) ?? { requests: 0, tokens: 0, failovers: 0, errors: 0 };
        cell.requests += requests!;
        cell.tokens += tokens!;
        cell.failovers += failovers!;
        cell.errors += errors!;
        cells.set(key, cell);
      }
    }
  }

  /** Drops minutes older than a week. */
  private prune(nowMinute: number): void {
    for (const minute of this.minutes.keys()) if (minute <= nowMinute - weekMinutes) this.minutes.delete(minute);
  }
}
