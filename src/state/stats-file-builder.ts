import type { BucketKey, BucketState } from '../core/types.js';
import type { BucketStatistics } from './statistics.js';
import type { PersistedBucket } from './stats-file.js';

/** One bucket's part of stats.json, with the values it was made from. */
interface Fragment {
  statistics: BucketStatistics | undefined;
  status: BucketState['status'] | undefined;
  until: number | undefined;
  reason: string | undefined;
  bytes: Buffer;
  /** The build that last saw this bucket; older ones are dropped. */
  build: number;
}

/** What goes before each bucket's part: a line break, and a comma after the first. */
const newline = Buffer.from('\n');
const separator = Buffer.from(',\n');

/**
 * Builds stats.json's bytes, serializing again only the buckets whose counters or state changed
 * since the last build: the text `JSON.stringify(file, null, 2)` gives. Under load a large pool
 * has a few busy buckets; serializing all of them at every flush allocated megabytes in one go,
 * enough that a scavenge ran in the middle and moved most of it to the old generation, where it
 * grew RSS until V8's next major collection.
 */
export class StatsFileBuilder {
  private readonly fragments = new Map<string, Fragment>();
  private builds = 0;

  build(
    statistics: Iterable<[string, BucketStatistics]>,
    states: Iterable<[BucketKey, BucketState]>,
    now: number,
  ): Buffer {
    const build = ++this.builds;
    const resting = new Map<string, BucketState>(states);
    const parts: Buffer[] = [
      Buffer.from(`{\n  "version": 1,\n  "updatedAt": ${JSON.stringify(new Date(now).toISOString())},\n  "buckets": {`),
    ];
    // Counted buckets first, then those with only a state: the order the one-piece file had.
    for (const [key, counters] of statistics) this.append(parts, key, counters, resting.get(key), build);
    for (const [key, state] of resting)
      if (this.fragments.get(key)?.build !== build) this.append(parts, key, undefined, state, build);
    for (const [key, fragment] of this.fragments) if (fragment.build !== build) this.fragments.delete(key);
    parts.push(Buffer.from(parts.length === 1 ? '}\n}\n' : '\n  }\n}\n'));
    return Buffer.concat(parts);
  }

  private append(
    parts: Buffer[],
    key: string,
    statistics: BucketStatistics | undefined,
    state: BucketState | undefined,
    build: number,
  ): void {
    let fragment = this.fragments.get(key);
    if (fragment === undefined || !unchanged(fragment, statistics, state)) {
      fragment = {
        statistics: statistics && { ...statistics },
        status: state?.status,
        until: state?.until,
        reason: state?.reason,
        bytes: serialize(key, statistics, state),
        build,
      };
      this.fragments.set(key, fragment);
    }
    fragment.build = build;
    parts.push(parts.length === 1 ? newline : separator, fragment.bytes);
  }
}

function unchanged(
  fragment: Fragment,
  statistics: BucketStatistics | undefined,
  state: BucketState | undefined,
): boolean {
  if (fragment.status !== state?.status || fragment.until !== state?.until || fragment.reason !== state?.reason)
    return false;
  if (statistics === undefined || fragment.statistics === undefined) return statistics === fragment.statistics;
  // A for-in loop over own fields allocates nothing; this runs for every bucket at every flush.
  for (const name in statistics) {
    if (statistics[name as keyof BucketStatistics] !== fragment.statistics[name as keyof BucketStatistics])
      return false;
  }
  for (const name in fragment.statistics) if (!(name in statistics)) return false;
  return true;
}

/** `"key": {...}` at the depth it has in the file (inside "buckets", two levels of two spaces). */
function serialize(key: string, statistics: BucketStatistics | undefined, state: BucketState | undefined): Buffer {
  const record: PersistedBucket = statistics ? { ...statistics } : {};
  if (state !== undefined) {
    record.state = state.status;
    record.availableAt = state.until ?? null;
    if (state.reason !== undefined) record.reason = state.reason;
  }
  return Buffer.from(`    ${JSON.stringify(key)}: ${JSON.stringify(record, null, 2).replaceAll('\n', '\n    ')}`);
}
