import { z } from 'zod';
import type { BucketKey, BucketState } from '../../core/types.js';
import { type BucketStateStore, createMemoryBucketStateStore } from '../bucket-state-store.js';
import type { RedisConnection } from './redis-connection.js';
import { execTransaction, parseMessage, RedisMirrorSync, readNamespace } from './redis-mirror-sync.js';

const stateSchema = z.object({
  status: z.enum(['ready', 'cooling', 'exhausted', 'resting', 'needs-login']),
  until: z.number().optional(),
  reason: z.string().optional(),
});

const messageSchema = z.object({ from: z.string(), key: z.string(), state: stateSchema.nullable() });

export interface RedisBucketStateStoreOptions {
  connection: RedisConnection;
  now: () => number;
  onError?: (error: unknown) => void;
}

/**
 * Bucket states shared through Redis. Reads are synchronous from a local mirror; writes land
 * in the mirror at once and go to Redis in the background (`<prefix>state:<provider>/<bucket>`,
 * expiring with the state), announced on `<prefix>state` so every instance's mirror follows.
 * While Redis is away the mirror is the state; what changed meanwhile is written back when it
 * returns, then the mirror is reloaded from Redis.
 */
export class RedisBucketStateStore implements BucketStateStore {
  private readonly mirror = createMemoryBucketStateStore();
  private readonly channel: string;
  private readonly sync: RedisMirrorSync;
  /**
   * When each key last changed here (a local write or another instance's message), to tell reloads apart from newer
   * news.
   */
  private readonly changedAt = new Map<BucketKey, number>();
  private sequence = 0;

  constructor(private readonly options: RedisBucketStateStoreOptions) {
    const { connection } = options;
    this.channel = connection.key('state');
    this.sync = new RedisMirrorSync(
      connection,
      this.channel,
      { receive: (raw) => this.receive(raw), restored: () => this.reconcile(), reload: () => this.reload() },
      options.onError,
    );
  }

  get version(): number {
    return this.mirror.version;
  }

  changedSince(version: number): BucketKey[] | undefined {
    return this.mirror.changedSince(version);
  }

  get(key: BucketKey): BucketState | undefined {
    return this.mirror.get(key);
  }

  entries(): IterableIterator<[BucketKey, BucketState]> {
    return this.mirror.entries();
  }

  set(key: BucketKey, state: BucketState): void {
    this.mirror.set(key, state);
    this.changedAt.set(key, ++this.sequence);
    this.send(key, state);
  }

  clear(key: BucketKey): void {
    if (this.mirror.get(key) === undefined) return;
    this.mirror.clear(key);
    this.changedAt.set(key, ++this.sequence);
    this.send(key, null);
  }

  /** Reads every state from Redis into the mirror (start-up, and after an outage). */
  async reload(): Promise<void> {
    const { connection } = this.options;
    if (!connection.connected) return;
    const startedAt = this.sequence;
    // A key that changed while the reload ran has newer news than what the reload read.
    const changedSince = (key: BucketKey) => (this.changedAt.get(key) ?? 0) > startedAt;
    try {
      const seen = new Set<BucketKey>();
      for (const [key, value] of await readNamespace(connection, 'state')) {
        const state = parseState(value);
        if (state === undefined || this.sync.isUnsent(key) || changedSince(key)) continue;
        seen.add(key);
        if (!sameState(this.mirror.get(key), state)) this.mirror.set(key, state);
      }
      // Gone from Redis means expired or cleared elsewhere, unless it is a change of ours still to send.
      for (const [key] of [...this.mirror.entries()])
        if (!seen.has(key) && !this.sync.isUnsent(key) && !changedSince(key)) this.mirror.clear(key);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  async close(): Promise<void> {
    this.sync.close();
  }

  private send(key: BucketKey, state: BucketState | null): void {
    this.sync.send(key, () => this.write(key, state));
  }

  /** Resolves once every change made so far has reached Redis (or failed to). */
  async idle(): Promise<void> {
    await this.sync.idle();
  }

  private async write(key: BucketKey, state: BucketState | null): Promise<void> {
    const { connection } = this.options;
    const redisKey = connection.key('state', key);
    const message = JSON.stringify({ from: connection.instanceId, key, state });
    const transaction = connection.client.multi();
    if (state === null || state.status === 'ready') transaction.del(redisKey);
    else if (state.until !== undefined) {
      // Expire with the state; a reset already past is nothing to share.
      if (state.until <= this.options.now()) transaction.del(redisKey);
      else transaction.set(redisKey, JSON.stringify(state), 'PXAT', Math.ceil(state.until));
    } else transaction.set(redisKey, JSON.stringify(state));
    transaction.publish(this.channel, message);
    await execTransaction(transaction);
  }

  private receive(raw: string): void {
    const parsed = parseMessage(raw, messageSchema, this.options.connection);
    if (parsed === undefined) return;
    const key = parsed.key as BucketKey;
    this.changedAt.set(key, ++this.sequence);
    if (parsed.state === null) this.mirror.clear(key);
    else this.mirror.set(key, withoutUndefined(parsed.state));
  }

  /**
   * After an outage: what this instance learned meanwhile goes back first, unless Redis already
   * holds a state resting at least as long (another instance's news is not undone); then everyone's.
   */
  private async reconcile(): Promise<void> {
    const { connection } = this.options;
    for (const key of this.sync.takeUnsent()) {
      try {
        const local = this.mirror.get(key);
        const now = this.options.now();
        // A rest that ended meanwhile has nothing to tell the others.
        if (local === undefined || local.status === 'ready' || (local.until !== undefined && local.until <= now))
          continue;
        const shared = parseState(await connection.client.get(connection.key('state', key)));
        if (shared !== undefined && restsAtLeastAsLong(shared, local)) continue;
        await this.write(key, local);
      } catch (error) {
        this.sync.failed(key, error);
      }
    }
    await this.reload();
  }
}

function parseState(value: string | null): BucketState | undefined {
  if (value === null) return undefined;
  try {
    const parsed = stateSchema.safeParse(JSON.parse(value));
    return parsed.success ? withoutUndefined(parsed.data) : undefined;
  } catch {
    return undefined;
  }
}

function withoutUndefined(state: z.infer<typeof stateSchema>): BucketState {
  const result: BucketState = { status: state.status };
  if (state.until !== undefined) result.until = state.until;
  if (state.reason !== undefined) result.reason = state.reason;
  return result;
}

function restsAtLeastAsLong(shared: BucketState, local: BucketState): boolean {
  if (shared.status === 'needs-login' && shared.until === undefined) return true;
  return shared.until !== undefined && local.until !== undefined && shared.until >= local.until;
}

function sameState(left: BucketState | undefined, right: BucketState): boolean {
  return (
    left !== undefined && left.status === right.status && left.until === right.until && left.reason === right.reason
  );
}
