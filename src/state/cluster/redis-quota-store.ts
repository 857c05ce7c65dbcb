import { z } from 'zod';
import type { BucketQuota, QuotaReading } from '../../core/quota.js';
import type { BucketKey } from '../../core/types.js';
import { bucketQuotaSchema, cleanQuota } from '../quota-file.js';
import { type AllowedListener, MemoryQuotaStore, type QuotaStore } from '../quota-store.js';
import type { RedisConnection } from './redis-connection.js';
import { execTransaction, parseMessage, RedisMirrorSync, readNamespace } from './redis-mirror-sync.js';

const messageSchema = z.object({ from: z.string(), key: z.string(), quota: bucketQuotaSchema.nullable() });

/** A bucket nobody has heard of for this long is forgotten: the longest window (a week) has reset by then. */
const keepForMs = 8 * 24 * 3_600_000;

export interface RedisQuotaStoreOptions {
  connection: RedisConnection;
  onError?: (error: unknown) => void;
}

/**
 * Quota shared through Redis, so every instance sees what any instance's answers said. Reads come
 * from a local mirror; a change worth telling goes to `<prefix>quota:<provider>/<bucket>` and is
 * announced on `<prefix>quota`; an instance hearing it merges window by window, the later-seen
 * winning. While Redis is away the mirror is the quota, sent again when it returns.
 */
export class RedisQuotaStore implements QuotaStore {
  private readonly mirror: MemoryQuotaStore;
  private readonly channel: string;
  private readonly sync: RedisMirrorSync;

  constructor(private readonly options: RedisQuotaStoreOptions) {
    const { connection } = options;
    this.mirror = new MemoryQuotaStore([], (key, quota) => this.send(key, quota ?? null));
    this.channel = connection.key('quota');
    this.sync = new RedisMirrorSync(
      connection,
      this.channel,
      { receive: (raw) => this.receive(raw), restored: () => this.resend(), reload: () => this.reload() },
      options.onError,
    );
  }

  get version(): number {
    return this.mirror.version;
  }

  get(key: BucketKey): BucketQuota | undefined {
    return this.mirror.get(key);
  }

  entries(): IterableIterator<[BucketKey, BucketQuota]> {
    return this.mirror.entries();
  }

  record(key: BucketKey, reading: QuotaReading, now: number): void {
    this.mirror.record(key, reading, now);
  }

  clear(key: BucketKey): void {
    this.mirror.clear(key);
  }

  onAllowed(listener: AllowedListener): void {
    this.mirror.onAllowed(listener);
  }

  /** Reads every bucket's quota from Redis into the mirror (start-up, and now and then). */
  async reload(): Promise<void> {
    const { connection } = this.options;
    if (!connection.connected) return;
    try {
      for (const [key, value] of await readNamespace(connection, 'quota')) {
        const quota = parseQuota(value);
        if (quota !== undefined) this.mirror.merge(key, quota, false);
      }
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  /** Resolves once every change made so far has reached Redis (or failed to). */
  async idle(): Promise<void> {
    await this.sync.idle();
  }

  async close(): Promise<void> {
    this.sync.close();
    await this.idle();
  }

  private send(key: BucketKey, quota: BucketQuota | null): void {
    this.sync.send(key, () => this.write(key, quota));
  }

  private async write(key: BucketKey, quota: BucketQuota | null): Promise<void> {
    const { connection } = this.options;
    const redisKey = connection.key('quota', key);
    const transaction = connection.client.multi();
    if (quota === null) transaction.del(redisKey);
    else transaction.set(redisKey, JSON.stringify(quota), 'PX', keepForMs);
    transaction.publish(this.channel, JSON.stringify({ from: connection.instanceId, key, quota }));
    await execTransaction(transaction);
  }

  private receive(raw: string): void {
    const parsed = parseMessage(raw, messageSchema, this.options.connection);
    if (parsed === undefined) return;
    const key = parsed.key as BucketKey;
    // A reset by hand clears everywhere; anything else joins what this instance knows.
    if (parsed.quota === null) this.mirror.replace(key, undefined);
    else this.mirror.merge(key, cleanQuota(parsed.quota), false);
  }

  /** After an outage: what this instance learned meanwhile goes out, then everyone's comes in. */
  private async resend(): Promise<void> {
    for (const key of this.sync.takeUnsent()) this.send(key, this.mirror.get(key) ?? null);
    await this.idle();
    await this.reload();
  }
}

function parseQuota(value: string | null): BucketQuota | undefined {
  if (value === null) return undefined;
  try {
    const parsed = bucketQuotaSchema.safeParse(JSON.parse(value));
    return parsed.success ? cleanQuota(parsed.data) : undefined;
  } catch {
    return undefined;
  }
}
