import type { BucketKey, Clock } from '../../core/types.js';
import {
  applyCall,
  type BucketStatistics,
  type CallRecord,
  emptyStatistics,
  type StatisticsStore,
} from '../statistics.js';
import type { RedisConnection } from './redis-connection.js';

const counterFields = [
  'requests',
  'successes',
  'rateLimited',
  'paymentRequired',
  'unauthorized',
  'refreshes',
  'otherErrors',
  'inputTokens',
  'outputTokens',
] as const;

/**
 * Adds one instance's batch to a bucket's hash in one step: the counters by HINCRBY, and
 * lastUsed/lastStatus only when this batch's call is the latest any instance made.
 */
const addBatchScript = `
redis.call('SADD', KEYS[2], ARGV[1])
for i = 4, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
if ARGV[2] ~= '' then
  local last = tonumber(redis.call('HGET', KEYS[1], 'lastUsed') or '0')
  if tonumber(ARGV[2]) >= last then redis.call('HSET', KEYS[1], 'lastUsed', ARGV[2], 'lastStatus', ARGV[3]) end
end
return 1`;

/** The cluster's totals are re-read this often for snapshot() (/stats/buckets re-reads at once). */
const synchronizeIntervalMs = 5_000;

export interface RedisStatisticsStoreOptions {
  connection: RedisConnection;
  clock: Clock;
  /** Counts are sent in batches at most this often (default 250 ms). */
  flushIntervalMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Statistics of the whole cluster: each instance counts in memory and adds its batch to
 * `<prefix>stats:<provider>/<bucket>` hashes (HINCRBY, exact however many instances count at
 * once); snapshot() is the cluster's totals as last read plus what this instance has not sent
 * yet. Batches that could not be sent (Redis away) stay pending and are sent when it returns.
 */
export class RedisStatisticsStore implements StatisticsStore {
  private pending = new Map<BucketKey, BucketStatistics>();
  private sending = new Map<BucketKey, BucketStatistics>();
  private totals = new Map<BucketKey, BucketStatistics>();
  private flushing: Promise<void> | undefined;
  private batchesSent = 0;
  private readonly flushTimer: NodeJS.Timeout;
  private readonly synchronizeTimer: NodeJS.Timeout;
  private readonly indexKey: string;

  constructor(private readonly options: RedisStatisticsStoreOptions) {
    this.indexKey = options.connection.key('stats-buckets');
    this.flushTimer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 250);
    this.flushTimer.unref();
    this.synchronizeTimer = setInterval(() => void this.synchronize(), synchronizeIntervalMs);
    this.synchronizeTimer.unref();
    options.connection.onRestored(() => void this.synchronize());
  }

  recordCall(key: BucketKey, call: CallRecord): void {
    applyCall(this.entry(key), call, this.options.clock.now());
  }

  recordRefresh(key: BucketKey): void {
    this.entry(key).refreshes += 1;
  }

  snapshot(): Record<BucketKey, BucketStatistics> {
    const result: Record<BucketKey, BucketStatistics> = {};
    for (const source of [this.totals, this.sending, this.pending]) {
      for (const [key, value] of source) {
        result[key] ??= emptyStatistics();
        addInto(result[key], value);
      }
    }
    return result;
  }

  /** Sends this instance's pending counts (one transaction per batch: all of it lands or none). */
  flush(): Promise<void> {
    this.flushing ??= this.sendPending().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** Sends pending counts, then re-reads the cluster's totals. */
  async synchronize(): Promise<void> {
    await this.flush();
    const { connection } = this.options;
    if (!connection.connected) return;
    const batchesBefore = this.batchesSent;
    try {
      const keys = (await connection.client.smembers(this.indexKey)) as BucketKey[];
      const transaction = connection.client.pipeline();
      for (const key of keys) transaction.hgetall(connection.key('stats', key));
      const results = (await transaction.exec()) ?? [];
      const totals = new Map<BucketKey, BucketStatistics>();
      keys.forEach((key, index) => {
        const [error, value] = results[index] ?? [null, null];
        if (error === null && value !== null && typeof value === 'object')
          totals.set(key, parseHash(value as Record<string, string>));
      });
      // A batch sent while reading may be missing from what was read: keep the local sum then.
      if (this.sending.size === 0 && this.batchesSent === batchesBefore) this.totals = totals;
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.flushTimer);
    clearInterval(this.synchronizeTimer);
    await this.flush();
  }

  private entry(key: BucketKey): BucketStatistics {
    let entry = this.pending.get(key);
    if (!entry) {
      entry = emptyStatistics();
      this.pending.set(key, entry);
    }
    return entry;
  }

  private async sendPending(): Promise<void> {
    const { connection } = this.options;
    if (this.pending.size === 0 || !connection.connected) return;
    this.sending = this.pending;
    this.pending = new Map();
    try {
      const transaction = connection.client.multi();
      for (const [key, batch] of this.sending) {
        const increments = counterFields.flatMap((field) => (batch[field] === 0 ? [] : [field, String(batch[field])]));
        transaction.eval(
          addBatchScript,
          2,
          connection.key('stats', key),
          this.indexKey,
          key,
          batch.lastUsed === null ? '' : String(batch.lastUsed),
          String(batch.lastStatus ?? ''),
          ...increments,
        );
      }
      const results = await transaction.exec();
      const failed = results?.find(([error]) => error !== null);
      if (failed) throw failed[0];
      if (results === null) throw new Error('the statistics transaction was discarded');
      for (const [key, batch] of this.sending) addInto(this.totals.get(key) ?? setNew(this.totals, key), batch);
      this.batchesSent += 1;
    } catch (error) {
      // Not sent: counted again with what comes next, so nothing is lost.
      for (const [key, batch] of this.sending) addInto(this.entry(key), batch);
      this.options.onError?.(error);
    } finally {
      this.sending = new Map();
    }
  }
}

function setNew(map: Map<BucketKey, BucketStatistics>, key: BucketKey): BucketStatistics {
  const value = emptyStatistics();
  map.set(key, value);
  return value;
}

function addInto(target: BucketStatistics, source: BucketStatistics): void {
  for (const field of counterFields) target[field] += source[field];
  if (source.lastUsed !== null && (target.lastUsed === null || source.lastUsed >= target.lastUsed)) {
    target.lastUsed = source.lastUsed;
    target.lastStatus = source.lastStatus;
  }
}

function parseHash(hash: Record<string, string>): BucketStatistics {
  const statistics = emptyStatistics();
  for (const field of counterFields) statistics[field] = Number(hash[field] ?? 0) || 0;
  if (hash.lastUsed !== undefined) statistics.lastUsed = Number(hash.lastUsed);
  if (hash.lastStatus !== undefined && hash.lastStatus !== '') statistics.lastStatus = Number(hash.lastStatus);
  return statistics;
}
