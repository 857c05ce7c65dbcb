import type { BucketKey, Credential } from '../core/types.js';
import type { Chain, Target } from '../profiles/types.js';
import { BucketLimiters, type BucketSlots } from '../state/bucket-limits.js';
import type { AnswerDelivery, AttemptResult } from './answer-delivery.js';
import type { AttemptOutcome } from './attempt-outcome.js';
import { BucketRests } from './bucket-rests.js';
import { isNeedsLoginError } from './credential-source.js';
import type { RequestDeadline } from './deadline.js';
import { firstLoginRecheckMs, LoginRechecks } from './login-rechecks.js';
import type { ProxyRequest } from './proxy-request.js';
import { defaultSleep, type RouterDependencies } from './router-dependencies.js';
import { TokenRotations } from './token-rotations.js';
import { UpstreamAttempts } from './upstream-attempt.js';

/** A refresh that failed for a passing reason (not a rejected token) rests the bucket this long. */
const refreshFailureCooldownMs = 30_000;
/** Under load, other requests may rotate a bucket's token this many times while one request retries. */
const maximumStaleTokenRetries = 3;
/** An API key the provider rejected is not retried for this long. */
const rejectedKeyCooldownMs = 5 * 60_000;

/**
 * Everything one bucket gets within one request: its credential, its slot, the refresh after a
 * 401, the bounded retries after 5xx, and the rest that repeated failures earn it.
 */
export class BucketAttempts {
  private readonly limiters: BucketSlots;
  private readonly sleep: (milliseconds: number) => Promise<void>;
  private readonly rotations = new TokenRotations();
  /** Why each bucket needing login does, in words that say the fix (an unset key variable is not a login). */
  readonly needsLoginAdvice = new Map<BucketKey, string>();
  /** OAuth buckets turned off by `switchyard auth <provider> disable`, so the answer can say how to turn them on. */
  readonly disabledBuckets = new Set<BucketKey>();
  private readonly loginRechecks: LoginRechecks;
  /** Failures in a row per bucket, across requests: enough of them rest the bucket. */
  private readonly rests: BucketRests;
  private readonly upstream: UpstreamAttempts;

  constructor(
    private readonly dependencies: RouterDependencies,
    delivery: AnswerDelivery,
  ) {
    this.limiters = dependencies.limiters ?? new BucketLimiters();
    this.sleep = dependencies.sleep ?? defaultSleep;
    this.loginRechecks = new LoginRechecks(dependencies.random);
    this.rests = new BucketRests(dependencies.routing, dependencies.states, dependencies.clock);
    this.upstream = new UpstreamAttempts(dependencies, delivery);
  }

  /** Every attempt on one bucket: the refresh after a 401 and the bounded retries after 5xx. */
  async tryBucket(
    request: ProxyRequest,
    target: Target,
    trail: AttemptOutcome[],
    deadline: RequestDeadline,
    chain: Chain,
  ): Promise<'done' | 'switched' | 'failed'> {
    const { credentials, states, clock } = this.dependencies;
    let credential: Credential;
    let seenRotation = this.rotations.epoch(target.key);
    try {
      credential =
        credentials.readyCredential?.(target.provider, target.bucket) ??
        (await credentials.getCredential(target.provider, target.bucket));
    } catch (error) {
      const reason = isNeedsLoginError(error) ? 'needs-login' : 'credential-error';
      if (isNeedsLoginError(error)) this.needsLoginAdvice.set(target.key, (error as Error).message);
      states.set(target.key, {
        status: 'needs-login',
        until: clock.now() + this.loginRechecks.next(target.key),
        reason,
      });
      trail.push({ target, status: 0, reason });
      return 'switched';
    }
    this.loginRechecks.found(target.key);
    if (credential.kind === 'oauth' && this.dependencies.providers[target.provider].settings.oauthEnabled === false) {
      // `switchyard auth <provider> disable` turns the provider's OAuth buckets off.
      this.disabledBuckets.add(target.key);
      trail.push({ target, status: 0, reason: 'oauth-disabled' });
      return 'switched';
    }
    // The bucket may have got an API key since: it is no longer one of the disabled.
    if (this.disabledBuckets.size > 0) this.disabledBuckets.delete(target.key);
    // A resting bucket taken by this request (one at a time, see TargetSelector) gets one call: its probe.
    const probe = this.rests.probing(target.key);
    const slot = this.limiters.acquire(target.key, target.limits);
    const release = slot ? await slot : undefined;
    try {
      let refreshed = false;
      let serverErrorRetries = 0;
      let staleTokenRetries = 0;
      for (;;) {
        const firstByteMs =
          target.timeouts?.firstByteMs ?? chain.timeouts?.firstByteMs ?? this.dependencies.routing.firstByteTimeoutMs;
        const timer = deadline.firstByte(firstByteMs);
        let result: AttemptResult;
        try {
          result = await this.upstream.attempt(request, target, credential, trail, { deadline, timer });
        } finally {
          timer.dispose();
        }
        if (result.kind === 'done') {
          // The bucket answered (a success, or the client's own 4xx): any run of failures is over.
          if (request.record.servedBy === target) this.rests.answered(target.key);
          return 'done';
        }
        if (result.kind === 'switch') return 'switched';
        if (result.kind === 'timeout' || result.kind === 'retry') {
          if (this.restAfterFailure(request, target, trail) || probe) return 'failed';
        }
        // A bucket that kept the first byte waiting is likely stalled: retrying it would spend the deadline on it.
        if (result.kind === 'timeout' || result.kind === 'failed') return 'failed';
        if (result.kind === 'retry') {
          if (serverErrorRetries >= this.dependencies.routing.serverErrorRetries || request.signal.aborted)
            return 'failed';
          const delay = this.dependencies.routing.retryBackoffMs * 2 ** serverErrorRetries;
          serverErrorRetries += 1;
          if (delay > 0) await this.sleep(delay * (0.75 + Math.random() * 0.5));
          continue;
        }
        // 401: one refresh, then the same bucket again; a second 401 means the login is gone. A 401 for
        // a token that another request rotated meanwhile does not count: the current token gets its chance.
        const stale =
          this.rotations.rotatedSince(target.key, seenRotation) && staleTokenRetries < maximumStaleTokenRetries;
        if ((stale || !refreshed) && credential.kind === 'oauth') {
          if (stale) staleTokenRetries += 1;
          else refreshed = true;
          const refused = result.usedAccessToken ?? credential.accessToken;
          try {
            credential = await this.rotations.track(target.key, refused, () =>
              credentials.refreshAfterUnauthorized(target.provider, target.bucket, refused),
            );
            seenRotation = this.rotations.epoch(target.key);
            continue;
          } catch (error) {
            if (isNeedsLoginError(error)) await this.markNeedsLogin(target, 'refresh-rejected', false);
            else {
              // The token endpoint failed for now (network, 5xx): rest briefly, the login may still be good.
              const until = this.dependencies.clock.now() + refreshFailureCooldownMs;
              this.dependencies.states.set(target.key, { status: 'cooling', until, reason: 'refresh-failed' });
            }
            trail.push({ target, status: 0, reason: 'refresh-failed' });
            return 'switched';
          }
        }
        await this.markNeedsLogin(
          target,
          credential.kind === 'api-key' ? 'api-key-rejected' : 'unauthorized-after-refresh',
          true,
        );
        return 'switched';
      }
    } finally {
      release?.();
    }
  }

  /**
   * Counts the failed call that ends `trail` (5xx, network, first-byte timeout) against the bucket;
   * true when that put the bucket to rest, which the trail then says (`provider/bucket:resting`).
   */
  private restAfterFailure(request: ProxyRequest, target: Target, trail: AttemptOutcome[]): boolean {
    const last = trail.at(-1);
    const reason = last === undefined ? 'failure' : last.status > 0 ? `http_${last.status}` : last.reason;
    const resting = this.rests.failed(target.key, reason);
    if (resting === undefined) return false;
    trail.push({ target, status: 0, reason: 'resting' });
    if (resting.began) this.dependencies.observer?.bucketRested?.(request, target, resting.rest);
    return true;
  }

  private async markNeedsLogin(target: Target, reason: string, persist: boolean): Promise<void> {
    // Persisted first, so that the mark is in the store before the bucket's state says needs-login: the
    // login re-check (a file watch) re-reads the store on any earlier write, such as the refresh just
    // before this 401, and would otherwise find an unmarked login and lift the new state at once.
    // Persisted so that a restart does not send the dead token again; a failed write only loses that.
    if (persist)
      await this.dependencies.credentials.markNeedsLogin(target.provider, target.bucket, reason).catch(() => undefined);
    const now = this.dependencies.clock.now();
    const recheck = reason === 'api-key-rejected' ? rejectedKeyCooldownMs : firstLoginRecheckMs;
    this.dependencies.states.set(target.key, { status: 'needs-login', until: now + recheck, reason });
    if (reason === 'api-key-rejected') {
      this.needsLoginAdvice.set(
        target.key,
        `${target.key} API key was rejected by ${target.provider}; put a valid ` +
          `key in its variable, or run: switchyard auth ${target.provider} key ${target.bucket} ` +
          `--env OTHER_VARIABLE.`,
      );
    } else this.needsLoginAdvice.delete(target.key);
  }

  async close(): Promise<void> {
    await this.limiters.close();
  }
}
