import type { RoutingSettings } from '../config/settings.js';
import type { Clock, Credential } from '../core/types.js';
import type { Target } from '../profiles/types.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { BucketStateStore } from '../state/bucket-state-store.js';
import type { QuotaStore } from '../state/quota-store.js';
import type { CallRecord, StatisticsStore } from '../state/statistics.js';
import type { AttemptOutcome } from './attempt-outcome.js';
import { type AttemptResult, type AttemptTiming, attemptReasonOf } from './attempt-result.js';
import { type Classification, classifyStreamError } from './classify.js';
import { type ProxyRequest, releaseBody } from './proxy-request.js';
import { writeAnswerHead } from './response-writer.js';
import type { RouterObserver } from './router-observer.js';

/** What answer delivery needs of the router's dependencies. */
export interface DeliveryDependencies {
  providers: ProviderRegistry;
  states: BucketStateStore;
  statistics: StatisticsStore;
  quota?: QuotaStore | undefined;
  clock: Clock;
  routing: RoutingSettings;
  observer?: RouterObserver | undefined;
}

/**
 * The bookkeeping of one attempt's answer, shared by every way an answer is delivered: the call
 * counted once, the head written with the trail, and a failure turned into the loop's next move.
 */
export class AttemptRecorder {
  constructor(readonly dependencies: DeliveryDependencies) {}

  /** Counts one upstream call in the statistics and tells the observer. */
  recordCall(request: ProxyRequest, target: Target, call: CallRecord): void {
    this.dependencies.statistics.recordCall(target.key, call);
    if (call.inputTokens !== undefined) request.record.inputTokens += call.inputTokens;
    if (call.outputTokens !== undefined) request.record.outputTokens += call.outputTokens;
    this.dependencies.observer?.attemptFinished(request, target, call);
  }

  writeHead(
    request: ProxyRequest,
    status: number,
    target: Target,
    trail: AttemptOutcome[],
    headers: Record<string, string | string[]>,
  ): void {
    writeAnswerHead(request.response, status, headers, target.key, trail);
    request.record.servedBy = target;
    request.record.firstByteAt = performance.now();
    this.dependencies.observer?.firstByte(request, target);
    // Committed: no other bucket will be asked, so the body can go while the answer is relayed.
    releaseBody(request);
  }

  /**
   * When the client left, the deadline passed or the first byte came too late, the attempt was
   * aborted: count it once, as what it was, and say how the loop goes on; undefined otherwise.
   */
  interrupted(
    request: ProxyRequest,
    target: Target,
    { deadline, timer }: AttemptTiming,
    trail: AttemptOutcome[],
    status: number,
  ): AttemptResult | undefined {
    if (deadline.clientGone) {
      this.recordCall(request, target, { status, cancelled: true });
      return { kind: 'done' };
    }
    if (deadline.expired) {
      this.recordCall(request, target, { status, timedOut: true });
      trail.push({ target, status, reason: 'deadline' });
      return { kind: 'done' };
    }
    if (timer.timedOut) {
      this.recordCall(request, target, { status, timedOut: true });
      trail.push({ target, status, reason: 'timeout' });
      return { kind: 'timeout' };
    }
    return undefined;
  }

  /** A failed answer, classified: rests the bucket where the answer says so, and says how the loop goes on. */
  applyClassification(
    target: Target,
    classification: Classification,
    usedAccessToken: string | undefined,
  ): AttemptResult {
    switch (classification.kind) {
      case 'rate-limited': {
        // A model window alone is spent: the bucket's quota holds it, and selection skips the bucket for that family.
        if (classification.families !== undefined && this.dependencies.quota !== undefined) return { kind: 'switch' };
        const now = this.dependencies.clock.now();
        const until = classification.until ?? now + this.dependencies.routing.defaultCooldownSeconds * 1000;
        this.dependencies.states.set(target.key, {
          status: classification.state,
          until,
          reason: classification.reason,
        });
        return { kind: 'switch' };
      }
      case 'auth':
        return { kind: 'unauthorized', usedAccessToken };
      case 'retryable':
        return { kind: 'retry', reason: classification.reason };
      default:
        return { kind: 'switch' };
    }
  }

  /** An answer past the limits, before anything reached the client: the bucket failed, another may answer. */
  tooLarge(request: ProxyRequest, target: Target, status: number, trail: AttemptOutcome[]): AttemptResult {
    this.recordCall(request, target, { status, failed: true });
    trail.push({ target, status, reason: 'too-large' });
    return { kind: 'failed' };
  }

  /** A stream that opened with an error event: decided like the same error sent as an answer. */
  streamStartFailed(
    request: ProxyRequest,
    target: Target,
    credential: Credential,
    status: number,
    error: unknown,
    trail: AttemptOutcome[],
  ): AttemptResult {
    const { clock } = this.dependencies;
    const classification = classifyStreamError(target.provider, error, clock.now());
    const countedStatus = classification.kind === 'rate-limited' ? 429 : classification.kind === 'auth' ? 401 : status;
    this.recordCall(request, target, { status: countedStatus, failed: true });
    const reason = countedStatus === status ? 'stream-error' : attemptReasonOf(classification, countedStatus);
    trail.push({ target, status: countedStatus, reason });
    if (classification.kind === 'client-error') return { kind: 'retry', reason: classification.reason };
    return this.applyClassification(
      target,
      classification,
      credential.kind === 'oauth' ? credential.accessToken : undefined,
    );
  }
}
