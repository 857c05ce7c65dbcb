import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/manual-clock.js';
import { createMemoryBucketStateStore } from './bucket-state-store.js';
import { FileStatisticsStore } from './file-statistics-store.js';
import { InvalidStatsFileError, readStatsFile } from './stats-file.js';

async function temporaryPath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'switchyard-stats-')), 'home', 'stats.json');
}

describe('stats.json', () => {
  it('persists counters and resting buckets, and a restart keeps only resets still ahead', async () => {
    const path = await temporaryPath();
    const clock = new ManualClock(1_000_000);
    const states = createMemoryBucketStateStore();
    const store = new FileStatisticsStore({
      path,
      clock,
      initial: {},
      states: () => states.entries(),
      statesVersion: () => states.version,
      flushIntervalMs: 60_000,
      onError: (error) => {
        throw error;
      },
    });
    store.recordCall('anthropic/a', { status: 200, inputTokens: 10, outputTokens: 5 });
    store.recordCall('anthropic/a', { status: 429 });
    store.recordRefresh('anthropic/a');
    states.set('anthropic/a', { status: 'exhausted', until: 2_000_000, reason: 'usage_limit_reached' });
    states.set('anthropic/b', { status: 'cooling', until: 1_500_000 });
    await store.close();

    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const early = await readStatsFile(path, 1_200_000);
    expect(early.statistics['anthropic/a']).toMatchObject({ requests: 2, successes: 1, rateLimited: 1, refreshes: 1, inputTokens: 10, outputTokens: 5 });
    expect(early.states).toContainEqual(['anthropic/a', { status: 'exhausted', until: 2_000_000, reason: 'usage_limit_reached' }]);
    const late = await readStatsFile(path, 1_600_000);
    expect(late.states.map(([key]) => key)).toEqual(['anthropic/a']);
  });

  it('writes nothing when nothing changed', async () => {
    const path = await temporaryPath();
    const states = createMemoryBucketStateStore();
    const store = new FileStatisticsStore({ path, clock: new ManualClock(0), initial: {}, states: () => states.entries(), statesVersion: () => states.version, flushIntervalMs: 60_000, onError: () => undefined });
    await store.close();
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a file that is not switchyard statistics and names it', async () => {
    const path = await temporaryPath();
    await readStatsFile(path, 0);
    const directory = join(path, '..');
    await import('node:fs/promises').then((fs) => fs.mkdir(directory, { recursive: true }));
    await writeFile(path, '{"version": 7}');
    await expect(readStatsFile(path, 0)).rejects.toThrow(InvalidStatsFileError);
    await expect(readStatsFile(path, 0)).rejects.toThrow(/stats\.json does not hold switchyard statistics.*left untouched/);
    await writeFile(path, '{not json');
    await expect(readStatsFile(path, 0)).rejects.toThrow(/is not valid JSON.*left untouched/);
  });
});
