import type { BucketKey, Clock } from '../core/types.js';
import type { BucketStateStore } from '../state/bucket-state-store.js';

/** How failures put a bucket to rest: `routing.restAfterFailures`, `restMs` and `restMaxMs` of config.yaml. */
export interface RestSettings {
  /** Failed calls in a row (across requests) that put a bucket to rest; 0: never. */
  restAfterFailures: number;
  /** The first rest. */
  restMs: number;
  /** No rest is longer. */
  restMaxMs: number;
}

/** A rest that has just begun: until when, why, and after how many failures in a row. */
export interface BucketRest {
  until: number;
  reason: string;
  failures: number;
}

interface FailureRun {
  /** Failed calls in a row, across requests. */
  count: number;
  /** The length of the bucket's last rest (0: none yet); the next one is twice as long. */
  lastRestMs: number;
}

/**
 * Failures of a bucket counted across requests. A bucket answering 500 to everything was retried
 * with back-off by every request (10 requests took 7.6 s); after `restAfterFailures` 5xx, network
 * failures or first-byte timeouts in a row it rests instead (state `resting`): no request calls it
 * until the rest ends, then one request probes it (see TargetSelector), with a single call. A
 * failed probe rests it twice as long, up to `restMaxMs`; any answer from it ends the run.
 */
export class BucketRests {
  private readonly runs = new Map<BucketKey, FailureRun>();

  constructor(
    private readonly settings: RestSettings,
    private readonly states: BucketStateStore,
    private readonly clock: Clock,
  ) {}

  /** Whether the bucket is resting now (its state says so): a request that took it is its probe. */
  probing(key: BucketKey): boolean {
    return this.states.get(key)?.status === 'resting';
  }

  /**
   * One failed call of `key` (`reason`: `http_500`, `network`, `timeout`). When it completes a run
   * of `restAfterFailures`, the bucket rests (`began`); when another request has rested it
   * meanwhile, that rest is returned (the caller stops retrying too, and nothing begins).
   */
  failed(key: BucketKey, reason: string): { rest: BucketRest; began: boolean } | undefined {
    const { restAfterFailures, restMs, restMaxMs } = this.settings;
    if (restAfterFailures === 0) return undefined;
    let run = this.runs.get(key);
    if (!run) {
      run = { count: 0, lastRestMs: 0 };
      this.runs.set(key, run);
    }
    run.count += 1;
    if (run.count < restAfterFailures) return undefined;
    const now = this.clock.now();
    const current = this.states.get(key);
    if (current?.status === 'resting' && current.until !== undefined && current.until > now) {
      return { rest: { until: current.until, reason: current.reason ?? reason, failures: run.count }, began: false };
    }
    const length = run.lastRestMs === 0 ? restMs : Math.min(run.lastRestMs * 2, restMaxMs);
    run.lastRestMs = length;
    this.states.set(key, { status: 'resting', until: now + length, reason });
    return { rest: { until: now + length, reason, failures: run.count }, began: true };
  }

  /** The bucket answered (a success, or an answer that is not a failure of the bucket): the run ends. */
  answered(key: BucketKey): void {
    if (this.runs.size > 0) this.runs.delete(key);
    // Also a rest remembered from before a restart (stats.json), which no run here counted.
    if (this.states.get(key)?.status === 'resting') this.states.clear(key);
  }
}
