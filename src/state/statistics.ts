import type { BucketKey } from '../core/types.js';

/** Per-bucket counters; every upstream call to a bucket counts once in `requests`. */
export interface BucketStatistics {
  requests: number;
  successes: number;
  rateLimited: number;
  paymentRequired: number;
  unauthorized: number;
  refreshes: number;
  otherErrors: number;
  /** Calls cut short by the first-byte timeout or the request deadline. */
  timeouts: number;
  /** Calls abandoned because the client went away first (not the bucket's fault). */
  cancelled: number;
  inputTokens: number;
  outputTokens: number;
  /** Unix ms of the last upstream call. */
  lastUsed: number | null;
  /** HTTP status of the last call, or 0 for a network error. */
  lastStatus: number | null;
}

export function emptyStatistics(): BucketStatistics {
  return {
    requests: 0,
    successes: 0,
    rateLimited: 0,
    paymentRequired: 0,
    unauthorized: 0,
    refreshes: 0,
    otherErrors: 0,
    timeouts: 0,
    cancelled: 0,
    inputTokens: 0,
    outputTokens: 0,
    lastUsed: null,
    lastStatus: null,
  };
}

/** One upstream call's outcome as statistics count it. `status` 0 means no HTTP answer. */
export interface CallRecord {
  status: number;
  /** A 200 whose stream failed after it began counts as an error, not a success. */
  failed?: boolean;
  /** Cut short by the first-byte timeout or the request deadline. */
  timedOut?: boolean;
  /** Abandoned because the client went away. */
  cancelled?: boolean;
  inputTokens?: number;
  outputTokens?: number;
  /** Of inputTokens, those read from the provider's prompt cache (priced apart in the dashboard's usage). */
  cachedInputTokens?: number;
  /** Of inputTokens, those written to the provider's prompt cache (priced apart too). */
  cacheWriteTokens?: number;
}

export function applyCall(statistics: BucketStatistics, call: CallRecord, now: number): void {
  statistics.requests += 1;
  statistics.lastUsed = now;
  statistics.lastStatus = call.status;
  if (call.cancelled) statistics.cancelled += 1;
  else if (call.timedOut) statistics.timeouts += 1;
  else if (call.status >= 200 && call.status < 300 && !call.failed) statistics.successes += 1;
  else if (call.status === 429) statistics.rateLimited += 1;
  else if (call.status === 402) statistics.paymentRequired += 1;
  else if (call.status === 401) statistics.unauthorized += 1;
  else statistics.otherErrors += 1;
  statistics.inputTokens += call.inputTokens ?? 0;
  statistics.outputTokens += call.outputTokens ?? 0;
}

/** Counts per bucket, exact under concurrency (single-threaded increments) and persisted in batches. */
export interface StatisticsStore {
  recordCall(key: BucketKey, call: CallRecord): void;
  recordRefresh(key: BucketKey): void;
  snapshot(): Record<BucketKey, BucketStatistics>;
  /** Writes pending changes now (no-op for stores that write through). */
  flush(): Promise<void>;
  /** Brings snapshot() up to date with other instances (cluster stores; the embedded ones are always current). */
  synchronize?(): Promise<void>;
  close(): Promise<void>;
}
