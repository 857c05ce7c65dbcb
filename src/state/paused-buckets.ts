import { z } from 'zod';
import { readJsonOrNull, writePrivateJson } from '../config/secure-files.js';
import type { BucketKey } from '../core/types.js';

/**
 * Buckets paused by hand (`switchyard bucket pause`): never sent to until resumed, whatever their
 * state and quota. Reads are synchronous (selection asks per request); changes are saved before
 * they are confirmed, so a restart keeps them.
 */
export interface PausedBuckets {
  has(key: BucketKey): boolean;
  pause(key: BucketKey): Promise<void>;
  resume(key: BucketKey): Promise<void>;
  keys(): BucketKey[];
  close(): Promise<void>;
}

const pausedFileSchema = z.object({ version: z.literal(1), paused: z.array(z.string()) });

export class InvalidPausedFileError extends Error {
  override readonly name = 'InvalidPausedFileError';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(
      `${path} does not hold switchyard's paused buckets (${detail}). ` +
        'It was left untouched; move it aside to start fresh.',
    );
  }
}

/** Reads paused.json: the paused buckets; a missing file is none, a corrupt one throws. */
export async function readPausedFile(path: string): Promise<BucketKey[]> {
  const raw = await readJsonOrNull(path);
  if (raw === null) return [];
  const parsed = pausedFileSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidPausedFileError(path, parsed.error.issues[0]?.message ?? 'invalid shape');
  return parsed.data.paused as BucketKey[];
}

/** Paused buckets of one process, kept in paused.json under SWITCHYARD_HOME. */
export class FilePausedBuckets implements PausedBuckets {
  private readonly paused: Set<BucketKey>;
  private writing: Promise<void> = Promise.resolve();

  /** `path` undefined: kept in memory only (the file did not read, and is never overwritten). */
  constructor(
    private readonly path: string | undefined,
    initial: Iterable<BucketKey> = [],
  ) {
    this.paused = new Set(initial);
  }

  static async open(path: string): Promise<FilePausedBuckets> {
    return new FilePausedBuckets(path, await readPausedFile(path));
  }

  has(key: BucketKey): boolean {
    return this.paused.size > 0 && this.paused.has(key);
  }

  keys(): BucketKey[] {
    return [...this.paused].sort();
  }

  async pause(key: BucketKey): Promise<void> {
    this.paused.add(key);
    await this.save();
  }

  async resume(key: BucketKey): Promise<void> {
    this.paused.delete(key);
    await this.save();
  }

  async close(): Promise<void> {
    await this.writing;
  }

  /** Writes are chained so an older set never lands after a newer one. */
  private save(): Promise<void> {
    const path = this.path;
    if (path === undefined) return this.writing;
    const content = { version: 1, paused: this.keys() };
    this.writing = this.writing.catch(() => undefined).then(() => writePrivateJson(path, content));
    return this.writing;
  }
}
