import { z } from 'zod';
import type { BucketKey, BucketState } from '../core/types.js';
import { readJsonOrNull, writePrivateJson } from '../config/secure-files.js';
import type { BucketStatistics } from './statistics.js';

const counters = {
  requests: z.number().int().nonnegative(),
  successes: z.number().int().nonnegative(),
  rateLimited: z.number().int().nonnegative(),
  paymentRequired: z.number().int().nonnegative(),
  unauthorized: z.number().int().nonnegative(),
  refreshes: z.number().int().nonnegative(),
  otherErrors: z.number().int().nonnegative(),
  timeouts: z.number().int().nonnegative(),
  cancelled: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  lastUsed: z.number().nullable(),
  lastStatus: z.number().int().nullable(),
};

const bucketRecordSchema = z.object({
  ...Object.fromEntries(Object.entries(counters).map(([name, schema]) => [name, schema.optional()])),
  state: z.enum(['ready', 'cooling', 'exhausted', 'needs-login']).optional(),
  availableAt: z.number().nullable().optional(),
  reason: z.string().optional(),
});

const statsFileSchema = z.object({
  version: z.literal(1),
  updatedAt: z.string().optional(),
  buckets: z.record(z.string(), bucketRecordSchema),
});

export type PersistedBucket = Partial<BucketStatistics> & {
  state?: BucketState['status'];
  availableAt?: number | null;
  reason?: string;
};

export interface StatsFileContent {
  statistics: Record<string, BucketStatistics>;
  states: [BucketKey, BucketState][];
}

export class InvalidStatsFileError extends Error {
  override readonly name = 'InvalidStatsFileError';
  constructor(readonly path: string, detail: string) {
    super(`${path} does not hold switchyard statistics (${detail}). It was left untouched; move it aside to start fresh.`);
  }
}

/** Reads stats.json: counters and bucket states; a missing file is empty, a corrupt one throws. */
export async function readStatsFile(path: string, now: number): Promise<StatsFileContent> {
  const raw = await readJsonOrNull(path);
  if (raw === null) return { statistics: {}, states: [] };
  const parsed = statsFileSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidStatsFileError(path, parsed.error.issues[0]?.message ?? 'invalid shape');
  const statistics: Record<string, BucketStatistics> = {};
  const states: [BucketKey, BucketState][] = [];
  for (const [key, record] of Object.entries(parsed.data.buckets)) {
    const { state, availableAt, reason, ...numbers } = record as PersistedBucket;
    statistics[key] = numbers as BucketStatistics;
    if (state && state !== 'ready') {
      const until = availableAt ?? undefined;
      // A reset that passed while switchyard was stopped means the bucket is ready again.
      if (state === 'needs-login' || (until !== undefined && until > now)) {
        const restored: BucketState = { status: state };
        if (until !== undefined && state !== 'needs-login') restored.until = until;
        if (reason !== undefined) restored.reason = reason;
        states.push([key as BucketKey, restored]);
      }
    }
  }
  return { statistics, states };
}

export async function writeStatsFile(
  path: string,
  statistics: Record<string, BucketStatistics>,
  states: Iterable<[BucketKey, BucketState]>,
  now: number,
): Promise<void> {
  const buckets: Record<string, PersistedBucket> = {};
  for (const [key, value] of Object.entries(statistics)) buckets[key] = { ...value };
  for (const [key, state] of states) {
    const record = (buckets[key] ??= {});
    record.state = state.status;
    record.availableAt = state.until ?? null;
    if (state.reason !== undefined) record.reason = state.reason;
  }
  await writePrivateJson(path, { version: 1, updatedAt: new Date(now).toISOString(), buckets });
}
