import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/manual-clock.js';
import type { BucketKey, BucketState } from '../core/types.js';
import { createMemoryBucketStateStore } from './bucket-state-store.js';
import { FileStatisticsStore } from './file-statistics-store.js';
import { type BucketStatistics, emptyStatistics } from './statistics.js';
import { InvalidStatsFileError, readStatsFile } from './stats-file.js';
import { StatsFileBuilder } from './stats-file-builder.js';

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
    expect(early.statistics['anthropic/a']).toMatchObject({
      requests: 2,
      successes: 1,
      rateLimited: 1,
      refreshes: 1,
      inputTokens: 10,
      outputTokens: 5,
    });
    expect(early.states).toContainEqual([
      'anthropic/a',
      { status: 'exhausted', until: 2_000_000, reason: 'usage_limit_reached' },
    ]);
    const late = await readStatsFile(path, 1_600_000);
    expect(late.states.map(([key]) => key)).toEqual(['anthropic/a']);
  });

  it('writes nothing when nothing changed', async () => {
    const path = await temporaryPath();
    const states = createMemoryBucketStateStore();
    const store = new FileStatisticsStore({
      path,
      clock: new ManualClock(0),
      initial: {},
      states: () => states.entries(),
      statesVersion: () => states.version,
      flushIntervalMs: 60_000,
      onError: () => undefined,
    });
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
    await expect(readStatsFile(path, 0)).rejects.toThrow(
      /stats\.json does not hold switchyard statistics.*left untouched/,
    );
    await writeFile(path, '{not json');
    await expect(readStatsFile(path, 0)).rejects.toThrow(/is not valid JSON.*left untouched/);
  });

  it("reads a record the same whether it takes the quick check or zod's (an unknown field sends it to zod, which drops the field)", async () => {
    const path = await temporaryPath();
    await mkdir(dirname(path), { recursive: true });
    // Mostly values of the field's own kind, sometimes any value: files the schema takes and ones it refuses.
    const anyValue = fc.oneof(
      fc.nat(),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constant(null),
      fc.string(),
      fc.boolean(),
      fc.constant(2 ** 60),
    );
    const mostly = (own: fc.Arbitrary<unknown>) =>
      fc.oneof({ arbitrary: own, weight: 30 }, { arbitrary: anyValue, weight: 1 });
    const counter = mostly(fc.nat());
    const time = mostly(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)));
    const counters = [
      'requests',
      'successes',
      'rateLimited',
      'paymentRequired',
      'unauthorized',
      'refreshes',
      'otherErrors',
      'timeouts',
      'cancelled',
      'inputTokens',
      'outputTokens',
    ];
    const record = fc.record(
      {
        ...Object.fromEntries(counters.map((name) => [name, counter])),
        lastUsed: time,
        lastStatus: mostly(fc.oneof(fc.integer(), fc.constant(null))),
        state: mostly(fc.constantFrom('ready', 'cooling', 'exhausted', 'needs-login')),
        availableAt: time,
        reason: mostly(fc.string()),
      },
      { requiredKeys: [] },
    );
    const outcome = async (records: unknown[]) => {
      await writeFile(
        path,
        JSON.stringify({
          version: 1,
          buckets: Object.fromEntries(records.map((entry, index) => [`anthropic/b${index}`, entry])),
        }),
      );
      return readStatsFile(path, 500).catch((error: unknown) =>
        error instanceof InvalidStatsFileError ? 'invalid' : Promise.reject(error),
      );
    };
    let readable = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 3 }), async (records) => {
        const quick = await outcome(records);
        const throughZod = await outcome(records.map((entry) => ({ ...entry, unknownField: 1 })));
        expect(quick).toEqual(throughZod);
        if (quick !== 'invalid') readable += 1;
      }),
      { numRuns: 300 },
    );
    // Both kinds of files were tried: ones the schema takes and ones it refuses.
    expect(readable).toBeGreaterThan(20);
  });

  it('writes, changed buckets only, the very text JSON.stringify gives for the whole file, flush after flush', () => {
    const key = fc.constantFrom(
      ...['anthropic/a', 'anthropic/b "quoted"', 'openai/caf\u00e9', 'gemini/x\\y', 'qwen/z'].map(
        (name) => name as BucketKey,
      ),
    );
    const change = fc.oneof(
      fc.record({
        kind: fc.constant('count' as const),
        key,
        requests: fc.nat({ max: 1_000_000 }),
        lastUsed: fc.option(fc.integer({ min: 0, max: 2 ** 45 })),
      }),
      fc.record({
        kind: fc.constant('state' as const),
        key,
        state: fc.record(
          {
            status: fc.constantFrom('cooling', 'exhausted', 'needs-login' as const),
            until: fc.integer({ min: 0, max: 2 ** 45 }),
            reason: fc.string({ maxLength: 12 }),
          },
          { requiredKeys: ['status'] },
        ),
      }),
      fc.record({ kind: fc.constant('ready' as const), key }),
    );
    // Flushes, each after a few changes; one builder for all of them, as in a running server.
    const flushes = fc.array(
      fc.tuple(fc.array(change, { maxLength: 4 }), fc.integer({ min: 0, max: 4_000_000_000_000 })),
      { minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(flushes, (plan) => {
        const builder = new StatsFileBuilder();
        const records = new Map<string, BucketStatistics>();
        const stateMap = new Map<BucketKey, BucketState>();
        for (const [changes, now] of plan) {
          for (const step of changes) {
            if (step.kind === 'count') {
              const record = records.get(step.key) ?? emptyStatistics();
              records.set(step.key, record);
              // In place, as the statistics store updates its records.
              record.requests = step.requests;
              record.lastUsed = step.lastUsed;
            } else if (step.kind === 'state') stateMap.set(step.key, step.state);
            else stateMap.delete(step.key);
          }
          const buckets: Record<string, Record<string, unknown>> = {};
          for (const [name, value] of records) buckets[name] = { ...value };
          for (const [name, value] of stateMap) {
            const record = buckets[name] ?? {};
            buckets[name] = record;
            record.state = value.status;
            record.availableAt = value.until ?? null;
            if (value.reason !== undefined) record.reason = value.reason;
          }
          const expected = `${JSON.stringify({ version: 1, updatedAt: new Date(now).toISOString(), buckets }, null, 2)}\n`;
          expect(builder.build(records, stateMap, now).toString('utf8')).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
