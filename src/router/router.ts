import type { BucketKey, Credential } from '../core/types.js';
import { readErrorBody } from '../formats/error-body.js';
import type { Chain, Target } from '../profiles/types.js';
import { pickForwardedHeaders } from '../providers/forward-headers.js';
import { BucketLimiters, type BucketSlots } from '../state/bucket-limits.js';
import { AnswerDelivery, type AttemptResult, type AttemptTiming, attemptReasonOf } from './answer-delivery.js';
import { type AttemptOutcome, failoverReasonOf, renderTrail } from './attempt-outcome.js';
import { BucketRests } from './bucket-rests.js';
import { classifyAnswer } from './classify.js';
import { isNeedsLoginError } from './credential-source.js';
import { RequestDeadline } from './deadline.js';
import { FormatChains } from './format-chains.js';
import { firstLoginRecheckMs, LoginRechecks } from './login-rechecks.js';
import { describeNetworkFailure } from './network-cause.js';
import { answerWhenNothingIsLeft } from './nothing-left.js';
import type { ProxyRequest } from './proxy-request.js';
import { QuotaGate } from './quota-gate.js';
import { QuotaReadings } from './quota-reading.js';
import { releaseRestsWhenAllowed } from './quota-release.js';
import { readErrorTextBounded } from './read-body.js';
import { relayedErrorAnswer, secretsOf, withoutSecrets } from './relayed-error.js';
import { RequestTranslations } from './request-translation.js';
import { endBody, ownErrorAnswer, writeError } from './response-writer.js';
import { defaultSleep, type RouterDependencies } from './router-dependencies.js';
import type { RouterObserver } from './router-observer.js';
import { TargetSelector } from './select-target.js';
import { targetModel } from './target-model.js';
import { systemTimers, type Timers } from './timers.js';
import { TokenRotations } from './token-rotations.js';
import type { UpstreamClient } from './upstream-client.js';
import { wrongPathAdvice } from './wrong-path.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/** A refresh that failed for a passing reason (not a rejected token) rests the bucket this long. */
const refreshFailureCooldownMs = 30_000;
/** Under load, other requests may rotate a bucket's token this many times while one request retries. */
const maximumStaleTokenRetries = 3;
/** An API key the provider rejected is not retried for this long. */
const rejectedKeyCooldownMs = 5 * 60_000;

const countTokensPath = '/v1/messages/count_tokens';
/** A request walking a long chain lets the event loop in after this many buckets. */
const bucketsBetweenYields = 64;

/**
 * The attempt loop: pick a bucket, authenticate, call the provider, classify the answer, and
 * either relay it or move on, until the client has an answer.
 */
export class Router {
  private readonly selector: TargetSelector;
  private readonly limiters: BucketSlots;
  private readonly formatChains = new FormatChains();
  private readonly sleep: (milliseconds: number) => Promise<void>;
  private readonly timers: Timers;
  private readonly observer: RouterObserver | undefined;
  private readonly translations = new RequestTranslations();
  private readonly rotations = new TokenRotations();
  /** Why each bucket needing login does, in words that say the fix (an unset key variable is not a login). */
  private readonly needsLoginAdvice = new Map<BucketKey, string>();
  /** OAuth buckets turned off by `switchyard auth <provider> disable`, so the answer can say how to turn them on. */
  private readonly disabledBuckets = new Set<BucketKey>();
  private readonly delivery: AnswerDelivery;
  private readonly loginRechecks = new LoginRechecks();
  /** Failures in a row per bucket, across requests: enough of them rest the bucket. */
  private readonly rests: BucketRests;
  private readonly quotaReadings: QuotaReadings;
  private readonly quotaGate: QuotaGate;

  constructor(private readonly dependencies: RouterDependencies) {
    this.selector = new TargetSelector(dependencies.states, dependencies.sessions, dependencies.quota);
    this.limiters = dependencies.limiters ?? new BucketLimiters();
    this.sleep = dependencies.sleep ?? defaultSleep;
    this.timers = dependencies.timers ?? systemTimers;
    this.observer = dependencies.observer;
    this.delivery = new AnswerDelivery(dependencies);
    this.rests = new BucketRests(dependencies.routing, dependencies.states, dependencies.clock);
    this.quotaReadings = new QuotaReadings(dependencies.providers, dependencies.quota);
    this.quotaGate = new QuotaGate(dependencies.quota, dependencies.paused);
    releaseRestsWhenAllowed(dependencies.quota, dependencies.states);
  }

  /**
   * One request, within its deadline; observers hear of its end whatever happens. One async
   * function for both, not two nested: each level costs a generator, a promise and its reactions.
   */
  async handle(request: ProxyRequest): Promise<void> {
    let observeNow = true;
    try {
      // Every bucket can serve every format through translation, except token counting, which only Anthropic has.
      const chain =
        request.path === countTokensPath ? this.formatChains.speaking(request.chain, request.format) : request.chain;
      if (chain.targets.length === 0) {
        writeError(request.response, request.format, {
          status: 400,
          message:
            `Profile "${request.chain.name}" has no bucket whose provider speaks the ${request.format} ` +
            `format; pick a profile for this API with the x-switchyard-profile header ` +
            `or \`switchyard profile load\`.`,
          code: 'no_bucket_for_format',
        });
        return;
      }
      const deadline = new RequestDeadline(
        request.signal,
        chain.timeouts?.requestMs ?? this.dependencies.routing.requestTimeoutMs,
        this.timers,
      );
      // Below here `signal` aborts on the deadline as well as on the client's departure.
      const bounded: ProxyRequest = { ...request, signal: deadline.signal };
      const trail = request.record.trail;
      try {
        await this.route(bounded, chain, trail, deadline);
      } finally {
        deadline.dispose();
      }
      if (deadline.expired && !request.response.headersSent) {
        writeError(
          request.response,
          request.format,
          {
            status: 504,
            message:
              `No answer within the request deadline of ${deadline.milliseconds} ms ` +
              `(attempts: ${renderTrail(trail, ', ') || 'none'}).`,
            code: 'deadline_exceeded',
          },
          {},
          trail,
        );
      }
    } catch (error) {
      // The error boundary answers this throw once it has left here: observers hear of the request when that
      // answer is out, so that the log and the metrics record the status the client got, not 499.
      const observer = this.observer;
      if (observer !== undefined && !request.response.headersSent) {
        observeNow = false;
        request.response.once('close', () => observer.requestFinished(request));
      }
      throw error;
    } finally {
      if (observeNow) this.observer?.requestFinished(request);
    }
  }

  /** The attempt loop proper: bucket after bucket until one answers or none is left. */
  private async route(
    request: ProxyRequest,
    chain: Chain,
    trail: AttemptOutcome[],
    deadline: RequestDeadline,
  ): Promise<void> {
    let lastFailure: string | undefined;
    let left: Target | undefined;
    const excluded = this.quotaGate.excluderFor(request.clientModel, this.dependencies.clock.now());
    const walk = this.selector.walk(chain, request.sessionKey, excluded, request.clientModel);
    let sinceYield = 0;
    for (;;) {
      if (request.signal.aborted) return;
      const target = walk.next(this.dependencies.clock.now());
      if (!target) break;
      if (left !== undefined && this.observer) this.reportFailover(request, left);
      let outcome: Awaited<ReturnType<Router['tryBucket']>>;
      try {
        outcome = await this.tryBucket(request, target, trail, deadline, chain);
      } finally {
        walk.finished(target);
      }
      if (outcome === 'done') return;
      lastFailure = outcome === 'failed' ? target.key : lastFailure;
      left = target;
      // Buckets that fail without an upstream call (no login, no key) settle in microtasks, which
      // never let timers, signals or other connections in: a long chain yields to the event loop now
      // and then, so /health, SIGTERM and the deadline are heard while it is walked.
      sinceYield += 1;
      if (sinceYield >= bucketsBetweenYields) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
    }
    if (request.signal.aborted) return;
    answerWhenNothingIsLeft(request, chain, trail, lastFailure, {
      states: this.dependencies.states,
      clock: this.dependencies.clock,
      needsLoginAdvice: this.needsLoginAdvice,
      disabled: this.disabledBuckets,
      paused: this.dependencies.paused,
    });
  }

  /** The reason is the one the bucket's last attempt ended with; only computed when someone observes. */
  private reportFailover(request: ProxyRequest, left: Target): void {
    const last = request.record.trail.at(-1);
    this.observer?.failover(request, left, last === undefined ? 'other' : failoverReasonOf(last));
  }

  /** Every attempt on one bucket: the refresh after a 401 and the bounded retries after 5xx. */
  private async tryBucket(
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
          result = await this.attempt(request, target, credential, trail, { deadline, timer });
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
    if (resting.began) this.observer?.bucketRested?.(request, target, resting.rest);
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

  /** One upstream call and what to do with its answer. */
  private async attempt(
    request: ProxyRequest,
    target: Target,
    credential: Credential,
    trail: AttemptOutcome[],
    timing: AttemptTiming,
  ): Promise<AttemptResult> {
    const { providers, upstream, clock } = this.dependencies;
    const provider = providers[target.provider];
    const translation = this.translations.for(request, target);
    const outgoing = provider.definition.buildRequest({
      format: translation?.format ?? request.format,
      path: translation?.path ?? request.path,
      body: translation?.body ?? request.body,
      rawBody: translation?.rawBody ?? request.rawBody,
      model: targetModel(target, request.clientModel),
      stream: translation?.stream ?? request.stream,
      forwardHeaders: pickForwardedHeaders(request.headers, provider.definition.forwardedHeaders),
      credential,
      settings: provider.settings,
    });
    outgoing.headers['accept-encoding'] = 'identity';

    let answer: Awaited<ReturnType<UpstreamClient['send']>>;
    try {
      answer = await upstream.send(outgoing, timing.timer.signal);
    } catch (error) {
      const interrupted = this.delivery.interrupted(request, target, timing, trail, 0);
      if (interrupted) return interrupted;
      this.delivery.recordCall(request, target, { status: 0 });
      const cause = describeNetworkFailure(
        error,
        credential.kind === 'oauth' ? [credential.accessToken] : [credential.apiKey],
      );
      trail.push({ target, status: 0, reason: 'network', cause });
      return { kind: 'retry', reason: cause };
    }

    const status = answer.statusCode;
    // Every answer says how much of the account's windows is used, not only the last one before the wall.
    this.quotaReadings.fromHeaders(target, answer.headers, clock.now());
    const usedAccessToken = credential.kind === 'oauth' ? credential.accessToken : undefined;
    if (status >= 200 && status < 300) {
      const result = await this.delivery.deliver(request, target, credential, answer, trail, timing, translation);
      // It served: whatever said it needed login (stats.json, a login replaced since) no longer holds.
      if (request.record.servedBy === target && this.dependencies.states.get(target.key)?.status === 'needs-login')
        this.dependencies.states.clear(target.key);
      return result;
    }

    const { text: body, truncated } = await readErrorTextBounded(answer.body);
    const interrupted = this.delivery.interrupted(request, target, timing, trail, status);
    if (interrupted) return interrupted;
    if (status === 429 && this.quotaReadings.readsErrors(target))
      this.quotaReadings.fromError(target, readErrorBody(body), clock.now());
    const classification = classifyAnswer({
      provider: target.provider,
      status,
      headers: answer.headers,
      body,
      now: clock.now(),
    });
    this.delivery.recordCall(request, target, { status });
    trail.push({ target, status, reason: attemptReasonOf(classification, status) });
    if (classification.kind === 'client-error') {
      // The provider's words are quoted in the advice: cleared of the credential first, as a relayed body is.
      const said = withoutSecrets(body, secretsOf(credential, usedAccessToken));
      const advice = wrongPathAdvice(target.provider, status, said, outgoing.url, provider.settings.baseUrl);
      if (advice !== undefined) {
        // Every bucket of the provider would get the same 404: the fix is config.yaml's, said in the client's format.
        const answer = ownErrorAnswer(request.format, { status, message: advice, code: 'upstream_path_not_found' });
        this.delivery.writeHead(request, status, target, trail, {
          ...answer.headers,
          'content-length': String(Buffer.byteLength(answer.body)),
        });
        endBody(request.response, answer.body);
        return { kind: 'done' };
      }
      // Not the bucket's fault: the client gets the provider's own answer, in the client's format.
      const relayed = relayedErrorAnswer(
        request.format,
        target,
        { status, headers: answer.headers, text: body, truncated },
        secretsOf(credential, usedAccessToken),
        translation,
      );
      this.delivery.writeHead(request, status, target, trail, relayed.headers);
      endBody(request.response, relayed.body);
      return { kind: 'done' };
    }
    return this.delivery.applyClassification(target, classification, usedAccessToken);
  }

  async close(): Promise<void> {
    await this.limiters.close();
  }
}
