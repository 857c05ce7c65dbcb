import type { Clock, ProviderName } from '../core/types.js';
import { NeedsLoginError } from './needs-login-error.js';
import type { TokenManager } from './token-manager.js';

export interface ProactiveRefreshOptions {
  tokens: Pick<TokenManager, 'describe' | 'refreshIfDue'>;
  /** The providers whose OAuth buckets are kept fresh (those with OAuth enabled). */
  providers: () => readonly ProviderName[];
  clock: Clock;
  /** The token manager's refresh-ahead window (default 300 s): a bucket is refreshed inside it. */
  aheadSeconds: number;
  /**
   * Each bucket waits a random 0..jitterSeconds into the window (default a fifth of it, at most
   * 60 s), so that several processes sharing the store do not all reach for the lock at once.
   */
  jitterSeconds?: number;
  /** How often the store is looked at (default 30 s); a refresh itself retries with backoff. */
  intervalMs?: number;
  random?: () => number;
  /** A bucket's refresh token was rejected (already persisted as needs_login by the token manager). */
  onNeedsLogin?: (provider: ProviderName, bucket: string, error: NeedsLoginError) => void;
  /**
   * A refresh failed for a passing reason (network, 5xx), once per back-off period; the token manager rests the
   * endpoint meanwhile.
   */
  onError?: (provider: ProviderName, bucket: string, error: unknown) => void;
}

/** What one sweep did with a bucket (tests and logs). */
export interface SweepOutcome {
  provider: ProviderName;
  bucket: string;
  /** `backing-off`: a recent refresh failed for a passing reason and the token endpoint is rested. */
  outcome: 'refreshed-or-current' | 'backing-off' | 'needs-login' | 'failed';
}

export interface ProactiveRefresh {
  /** Looks at every bucket once and refreshes those inside their (jittered) window. */
  sweep(): Promise<SweepOutcome[]>;
  stop(): void;
}

/**
 * Keeps OAuth buckets fresh in a running server, so a request rarely waits for a refresh:
 * every `intervalMs`, buckets whose token expires within the refresh-ahead window (plus a
 * per-bucket jitter) are refreshed through the token manager, which single-flights, locks
 * across processes, re-reads the store and never re-sends a rejected refresh token.
 */
export function startProactiveRefresh(options: ProactiveRefreshOptions): ProactiveRefresh {
  const random = options.random ?? Math.random;
  const jitterSeconds = options.jitterSeconds ?? Math.min(60, options.aheadSeconds / 5);
  const intervalMs = options.intervalMs ?? 30_000;
  const jitters = new Map<string, number>();
  const jitterOf = (key: string): number => {
    let jitter = jitters.get(key);
    if (jitter === undefined) {
      jitter = random() * jitterSeconds;
      jitters.set(key, jitter);
    }
    return jitter;
  };

  let sweeping: Promise<SweepOutcome[]> | undefined;
  const sweepOnce = async (): Promise<SweepOutcome[]> => {
    const outcomes: SweepOutcome[] = [];
    for (const provider of options.providers()) {
      const buckets = await options.tokens.describe(provider).catch(() => []);
      for (const status of buckets) {
        if (status.kind !== 'oauth' || !status.hasRefreshToken || status.expiresAt === undefined) continue;
        if (status.status !== 'ok' && status.status !== 'expired') continue;
        const dueAtMs = (status.expiresAt - options.aheadSeconds + jitterOf(`${provider}/${status.bucket}`)) * 1000;
        if (options.clock.now() < dueAtMs) continue;
        outcomes.push({ provider, bucket: status.bucket, outcome: await refreshBucket(provider, status.bucket) });
      }
    }
    return outcomes;
  };
  const refreshBucket = async (provider: ProviderName, bucket: string): Promise<SweepOutcome['outcome']> => {
    try {
      // Refreshes when the stored set is due (and only then), under the single-flight and the cross-process lock.
      return (await options.tokens.refreshIfDue(provider, bucket)) === 'backing-off'
        ? 'backing-off'
        : 'refreshed-or-current';
    } catch (error) {
      if (error instanceof NeedsLoginError) {
        options.onNeedsLogin?.(provider, bucket, error);
        return 'needs-login';
      }
      options.onError?.(provider, bucket, error);
      return 'failed';
    }
  };
  const sweep = (): Promise<SweepOutcome[]> => {
    // One sweep at a time: a slow token endpoint must not pile sweeps up.
    sweeping ??= sweepOnce().finally(() => (sweeping = undefined));
    return sweeping;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      sweep()
        .catch(() => undefined)
        .finally(schedule);
    }, intervalMs);
    // Never keep a process alive just to refresh tokens.
    timer.unref();
  };
  schedule();
  return {
    sweep,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
