import { z } from 'zod';
import { readJsonOrNull, writePrivateJson } from '../config/secure-files.js';
import type { BucketQuota } from '../core/quota.js';
import type { BucketKey } from '../core/types.js';
import type { QuotaStore } from './quota-store.js';

const windowSchema = z.object({
  used: z.number().min(0).max(1).optional(),
  status: z.enum(['allowed', 'allowed_warning', 'rejected']).optional(),
  resetsAt: z.number().optional(),
  family: z.string().optional(),
  seenAt: z.number(),
  firstUsed: z.number().min(0).max(1).optional(),
  firstSeenAt: z.number().optional(),
});

/** One bucket's quota as stored (quota.json, and each bucket's key in Redis). */
export const bucketQuotaSchema = z.object({
  windows: z.record(z.string(), windowSchema),
  overage: z.object({ status: z.string(), resetsAt: z.number().optional(), seenAt: z.number() }).optional(),
  representativeClaim: z.string().optional(),
});

const quotaFileSchema = z.object({
  version: z.literal(1),
  buckets: z.record(z.string(), bucketQuotaSchema),
});

export class InvalidQuotaFileError extends Error {
  override readonly name = 'InvalidQuotaFileError';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path} does not hold switchyard quota (${detail}). It was left untouched; move it aside to start fresh.`);
  }
}

/** A stored bucket quota without the fields zod leaves undefined (exactOptionalPropertyTypes). */
export function cleanQuota(parsed: z.infer<typeof bucketQuotaSchema>): BucketQuota {
  return JSON.parse(JSON.stringify(parsed)) as BucketQuota;
}

/** Reads quota.json: every bucket's windows as answers last described them; missing is empty, corrupt throws. */
export async function readQuotaFile(path: string): Promise<[BucketKey, BucketQuota][]> {
  const raw = await readJsonOrNull(path);
  if (raw === null) return [];
  const parsed = quotaFileSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidQuotaFileError(path, parsed.error.issues[0]?.message ?? 'invalid shape');
  return Object.entries(parsed.data.buckets).map(([key, quota]) => [key as BucketKey, cleanQuota(quota)]);
}

/**
 * Writes the quota store to quota.json when it changed, at most once per interval (never per
 * answer), atomically and private like every file under SWITCHYARD_HOME.
 */
export class QuotaFileWriter {
  private readonly timer: NodeJS.Timeout;
  private writtenVersion: number;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly store: QuotaStore,
    intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    this.writtenVersion = store.version;
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  flush(): Promise<void> {
    const version = this.store.version;
    if (version === this.writtenVersion) return this.writing;
    this.writtenVersion = version;
    const content = { version: 1, buckets: Object.fromEntries(this.store.entries()) };
    // Chained so an older snapshot never lands after a newer one.
    this.writing = this.writing
      .then(() => writePrivateJson(this.path, content))
      .catch((error: unknown) => {
        this.writtenVersion = -1;
        this.onError(error);
      });
    return this.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
