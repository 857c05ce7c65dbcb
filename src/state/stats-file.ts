import { z } from 'zod';
import { readJsonOrNull } from '../config/secure-files.js';
import type { BucketKey, BucketState } from '../core/types.js';
import type { BucketStatistics } from './statistics.js';

const bucketStates = ['ready', 'cooling', 'exhausted', 'resting', 'needs-login'] as const;

/**
 * Each field of a bucket's record, as a zod schema and as a quick test that accepts only values
 * the schema accepts unchanged. zod checking a large pool's file was a noticeable part of the
 * start-up, before the server could listen; the quick tests are a fraction of it, and the schemas
 * are built only for a file that fails them (zod then names the problem).
 */
const recordFields = {
  requests: count(),
  successes: count(),
  rateLimited: count(),
  paymentRequired: count(),
  unauthorized: count(),
  refreshes: count(),
  otherErrors: count(),
  timeouts: count(),
  cancelled: count(),
  inputTokens: count(),
  outputTokens: count(),
  lastUsed: field(
    () => z.number().nullable(),
    (value) => value === null || Number.isFinite(value),
  ),
  lastStatus: field(
    () => z.number().int().nullable(),
    (value) => value === null || Number.isSafeInteger(value),
  ),
  state: field(
    () => z.enum(bucketStates),
    (value) => (bucketStates as readonly unknown[]).includes(value),
  ),
  availableAt: field(
    () => z.number().nullable(),
    (value) => value === null || Number.isFinite(value),
  ),
  reason: field(
    () => z.string(),
    (value) => typeof value === 'string',
  ),
};

function field(schema: () => z.ZodType, plain: (value: unknown) => boolean) {
  return { schema: () => schema().optional(), plain };
}

function count() {
  return field(
    () => z.number().int().nonnegative(),
    (value) => Number.isSafeInteger(value) && (value as number) >= 0,
  );
}

/** The whole file's schema, built on first use: files switchyard wrote itself pass the quick tests without it. */
let statsFileSchema:
  | z.ZodType<{ version: 1; updatedAt?: string | undefined; buckets: Record<string, Record<string, unknown>> }>
  | undefined;

function fileSchema() {
  statsFileSchema ??= z.object({
    version: z.literal(1),
    updatedAt: z.string().optional(),
    buckets: z.record(
      z.string(),
      z.object(Object.fromEntries(Object.entries(recordFields).map(([name, field]) => [name, field.schema()]))),
    ),
  });
  return statsFileSchema;
}

/** Whether zod would take `record` as it is: an object of known fields, each a value its schema accepts. */
function isPlainRecord(record: unknown): boolean {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return false;
  // A for-in loop over own fields allocates nothing: this runs for every bucket before listening.
  for (const name in record) {
    if (!Object.hasOwn(record, name)) continue;
    const known = fieldsByName.get(name);
    if (known === undefined || !known.plain((record as Record<string, unknown>)[name])) return false;
  }
  return true;
}

const fieldsByName = new Map<string, { plain: (value: unknown) => boolean }>(Object.entries(recordFields));

/**
 * The file's buckets when every part is plain (see recordFields), else undefined: zod then checks it and names any
 * problem.
 */
function plainBuckets(raw: unknown): Record<string, PersistedBucket> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const { version, updatedAt, buckets, ...rest } = raw as Record<string, unknown>;
  if (version !== 1 || (updatedAt !== undefined && typeof updatedAt !== 'string') || Object.keys(rest).length > 0)
    return undefined;
  if (typeof buckets !== 'object' || buckets === null || Array.isArray(buckets)) return undefined;
  for (const record of Object.values(buckets)) if (!isPlainRecord(record)) return undefined;
  return buckets as Record<string, PersistedBucket>;
}

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
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(
      `${path} does not hold switchyard statistics (${detail}). It was left untouched; move it aside to start fresh.`,
    );
  }
}

/** Reads stats.json: counters and bucket states; a missing file is empty, a corrupt one throws. */
export async function readStatsFile(path: string, now: number): Promise<StatsFileContent> {
  const raw = await readJsonOrNull(path);
  if (raw === null) return { statistics: {}, states: [] };
  let buckets = plainBuckets(raw);
  if (buckets === undefined) {
    const parsed = fileSchema().safeParse(raw);
    if (!parsed.success) throw new InvalidStatsFileError(path, parsed.error.issues[0]?.message ?? 'invalid shape');
    buckets = parsed.data.buckets as Record<string, PersistedBucket>;
  }
  const statistics: Record<string, BucketStatistics> = {};
  const states: [BucketKey, BucketState][] = [];
  for (const [key, record] of Object.entries(buckets)) {
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
