import type { ChainableCommander } from 'ioredis';
import type { z } from 'zod';
import type { BucketKey } from '../../core/types.js';
import type { RedisConnection } from './redis-connection.js';

/** A full reload this often catches anything pub/sub missed. */
const resyncIntervalMs = 15_000;

/**
 * What the stores shared through Redis (bucket states, quota) have in common: a local mirror kept
 * current by a pub/sub channel, a reload after an outage and every 15 s, and changes written back
 * in the background. A change made while Redis is away, or whose write failed, is remembered and
 * sent again when Redis returns; `idle` waits for every write begun so far.
 */
export class RedisMirrorSync {
  private readonly unsent = new Set<BucketKey>();
  private readonly writing = new Set<Promise<void>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly connection: RedisConnection,
    channel: string,
    handlers: { receive(raw: string): void; restored(): Promise<void>; reload(): Promise<void> },
    private readonly onError: ((error: unknown) => void) | undefined,
  ) {
    connection.subscribe(channel, (message) => handlers.receive(message));
    connection.onRestored(() => void handlers.restored());
    this.timer = setInterval(() => void handlers.reload(), resyncIntervalMs);
    this.timer.unref();
  }

  /** Writes `key`'s change with `write` in the background, or keeps it for when Redis returns. */
  send(key: BucketKey, write: () => Promise<void>): void {
    if (!this.connection.connected) {
      this.unsent.add(key);
      return;
    }
    const pending = write()
      .catch((error: unknown) => this.failed(key, error))
      .finally(() => this.writing.delete(pending));
    this.writing.add(pending);
  }

  /** A key whose change did not reach Redis: sent again when it returns. */
  failed(key: BucketKey, error: unknown): void {
    this.unsent.add(key);
    this.onError?.(error);
  }

  isUnsent(key: BucketKey): boolean {
    return this.unsent.has(key);
  }

  /** The keys changed while Redis could not be told, handed over to be sent again (and forgotten here). */
  takeUnsent(): BucketKey[] {
    const keys = [...this.unsent];
    this.unsent.clear();
    return keys;
  }

  /** Resolves once every change made so far has reached Redis (or failed to). */
  async idle(): Promise<void> {
    await Promise.all([...this.writing]);
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/** Another instance's message on a store's channel, or undefined for one of ours or one not ours to understand. */
export function parseMessage<Schema extends z.ZodType<{ from: string }>>(
  raw: string,
  schema: Schema,
  connection: RedisConnection,
): z.infer<Schema> | undefined {
  try {
    const parsed = schema.parse(JSON.parse(raw)) as z.infer<Schema>;
    return parsed.from === connection.instanceId ? undefined : parsed;
  } catch {
    return undefined;
  }
}

/** Runs a MULTI; the first command that failed in it fails the whole write. */
export async function execTransaction(transaction: ChainableCommander): Promise<void> {
  const results = await transaction.exec();
  const failed = results?.find(([error]) => error !== null);
  if (failed) throw failed[0];
}

/** Every `<prefix><namespace>:<provider>/<bucket>` key with its value (null when it expired meanwhile). */
export async function readNamespace(
  connection: RedisConnection,
  namespace: string,
): Promise<[BucketKey, string | null][]> {
  const keys = await scanAll(connection, connection.key(namespace, '*'));
  const values = keys.length === 0 ? [] : await connection.client.mget(keys);
  const prefixLength = connection.key(namespace, '').length;
  return keys.map((redisKey, index) => [redisKey.slice(prefixLength) as BucketKey, values[index] ?? null]);
}

export async function scanAll(connection: RedisConnection, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await connection.client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}
