import type { Chain, Target } from '../profiles/types.js';
import { AnswerDelivery } from './answer-delivery.js';
import { type AttemptOutcome, failoverReasonOf, renderTrail } from './attempt-outcome.js';
import { BucketAttempts } from './bucket-attempts.js';
import { RequestDeadline } from './deadline.js';
import { FormatChains } from './format-chains.js';
import { answerWhenNothingIsLeft } from './nothing-left.js';
import type { ProxyRequest } from './proxy-request.js';
import { QuotaGate } from './quota-gate.js';
import { releaseRestsWhenAllowed } from './quota-release.js';
import { writeError } from './response-writer.js';
import type { RouterDependencies } from './router-dependencies.js';
import type { RouterObserver } from './router-observer.js';
import { TargetSelector } from './select-target.js';
import { systemTimers, type Timers } from './timers.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

const countTokensPath = '/v1/messages/count_tokens';
/** A request walking a long chain lets the event loop in after this many buckets. */
const bucketsBetweenYields = 64;

/**
 * The attempt loop: pick a bucket, authenticate, call the provider, classify the answer, and
 * either relay it or move on, until the client has an answer.
 */
export class Router {
  private readonly selector: TargetSelector;
  private readonly formatChains = new FormatChains();
  private readonly timers: Timers;
  private readonly observer: RouterObserver | undefined;
  private readonly buckets: BucketAttempts;
  private readonly quotaGate: QuotaGate;

  constructor(private readonly dependencies: RouterDependencies) {
    this.selector = new TargetSelector(dependencies.states, dependencies.sessions, dependencies.quota);
    this.timers = dependencies.timers ?? systemTimers;
    this.observer = dependencies.observer;
    this.buckets = new BucketAttempts(dependencies, new AnswerDelivery(dependencies));
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
      // Below here `signal` aborts on the deadline as well as on the client's departure. The request itself
      // carries it, not a copy: a copy would keep the body alive after the router lets go of it (releaseBody).
      const clientSignal = request.signal;
      request.signal = deadline.signal;
      const trail = request.record.trail;
      try {
        await this.route(request, chain, trail, deadline);
      } finally {
        request.signal = clientSignal;
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
      let outcome: Awaited<ReturnType<BucketAttempts['tryBucket']>>;
      try {
        outcome = await this.buckets.tryBucket(request, target, trail, deadline, chain);
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
      needsLoginAdvice: this.buckets.needsLoginAdvice,
      disabled: this.buckets.disabledBuckets,
      paused: this.dependencies.paused,
    });
  }

  /** The reason is the one the bucket's last attempt ended with; only computed when someone observes. */
  private reportFailover(request: ProxyRequest, left: Target): void {
    const last = request.record.trail.at(-1);
    this.observer?.failover(request, left, last === undefined ? 'other' : failoverReasonOf(last));
  }

  async close(): Promise<void> {
    await this.buckets.close();
  }
}
