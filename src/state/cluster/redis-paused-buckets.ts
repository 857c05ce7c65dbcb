import type { BucketKey } from '../../core/types.js';
import type { PausedBuckets } from '../paused-buckets.js';
import type { RedisConnection } from './redis-connection.js';

/** A full reload this often catches anything pub/sub missed. */
const resyncIntervalMs = 15_000;

/**
 * Paused buckets shared by the cluster: the set `<prefix>paused`, changes announced on
 * `<prefix>paused` so every instance's local copy follows at once.
 */
export class RedisPausedBuckets implements PausedBuckets {
  private paused = new Set<BucketKey>();
  private readonly key: string;
  private readonly channel: string;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly connection: RedisConnection,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.key = connection.key('paused');
    this.channel = connection.key('paused', 'changed');
    connection.subscribe(this.channel, () => void this.reload());
    connection.onRestored(() => void this.reload());
    this.timer = setInterval(() => void this.reload(), resyncIntervalMs);
    this.timer.unref();
  }

  has(key: BucketKey): boolean {
    return this.paused.size > 0 && this.paused.has(key);
  }

  keys(): BucketKey[] {
    return [...this.paused].sort();
  }

  async reload(): Promise<void> {
    if (!this.connection.connected) return;
    try {
      this.paused = new Set((await this.connection.client.smembers(this.key)) as BucketKey[]);
    } catch (error) {
      this.onError(error);
    }
  }

  async pause(key: BucketKey): Promise<void> {
    this.paused.add(key);
    await this.connection.client.multi().sadd(this.key, key).publish(this.channel, key).exec();
  }

  async resume(key: BucketKey): Promise<void> {
    this.paused.delete(key);
    await this.connection.client.multi().srem(this.key, key).publish(this.channel, key).exec();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
  }
}
