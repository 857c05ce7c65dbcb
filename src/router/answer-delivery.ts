import type { Duplex, Readable } from 'node:stream';
import type { RoutingSettings } from '../config/settings.js';
import { parseJson } from '../core/json.js';
import type { Clock, Credential } from '../core/types.js';
import { inspectStreamStart, readUsage, usageOfAnswer } from '../formats/index.js';
import { type TranslatedRequest, translateAnswer, translateCollectedStream } from '../formats/translate-exchange.js';
import { createStreamTranslator } from '../formats/translate-stream.js';
import type { Target } from '../profiles/types.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { BucketStateStore } from '../state/bucket-state-store.js';
import type { QuotaStore } from '../state/quota-store.js';
import type { CallRecord, StatisticsStore } from '../state/statistics.js';
import { AnswerTooLargeError } from './answer-too-large.js';
import type { AttemptOutcome, AttemptReason } from './attempt-outcome.js';
import { type Classification, classifyStreamError } from './classify.js';
import type { FirstByteTimer, RequestDeadline } from './deadline.js';
import type { ProxyRequest } from './proxy-request.js';
import { relayStream } from './relay-stream.js';
import { headerValue, relayedHeaders } from './response-headers.js';
import { endBody, writeAnswerHead } from './response-writer.js';
import type { RouterObserver } from './router-observer.js';
import type { UpstreamClient } from './upstream-client.js';

/** How one attempt on a bucket ended, as far as the attempt loop is concerned. */
export type AttemptResult =
  | { kind: 'done' }
  | { kind: 'switch' }
  | { kind: 'timeout' }
  /** The bucket failed in a way a retry would repeat (an answer past the limits): the next bucket. */
  | { kind: 'failed' }
  | { kind: 'retry'; reason: string }
  | { kind: 'unauthorized'; usedAccessToken: string | undefined };

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
 * What becomes of one upstream answer: it is counted, relayed to the client (whole, streamed or
 * translated into the client's format), or turned into the attempt loop's next move (another
 * bucket, a retry, a refresh). The attempt loop itself is the Router's.
 */
export class AnswerDelivery {
  constructor(private readonly dependencies: DeliveryDependencies) {}

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

  /** A 2xx answer: held until its first real event when streaming, then relayed. */
  async deliver(
    request: ProxyRequest,
    target: Target,
    credential: Credential,
    answer: Awaited<ReturnType<UpstreamClient['send']>>,
    trail: AttemptOutcome[],
    timing: AttemptTiming,
    translation: TranslatedRequest | undefined,
  ): Promise<AttemptResult> {
    const { clock, providers } = this.dependencies;
    const status = answer.statusCode;
    const unwrapper = providers[target.provider].definition.responseUnwrapper?.(credential);
    const contentType = headerValue(answer.headers, 'content-type') ?? '';
    const headers = relayedHeaders(answer.headers);

    if (contentType.includes('text/event-stream') && !translation?.collectsStream) {
      const source = unwrapper
        ? unwrapped(answer.body, unwrapper.stream(this.dependencies.routing.eventLimitBytes))
        : answer.body;
      const upstreamFormat = translation?.format ?? request.format;
      const translator = translation
        ? createStreamTranslator(upstreamFormat, request.format, Math.floor(clock.now() / 1000))
        : undefined;
      const outcome = await relayStream(
        source,
        request.response,
        upstreamFormat,
        () => {
          timing.timer.reached();
          trail.push({ target, status, reason: 'served' });
          this.writeHead(request, status, target, trail, headers);
        },
        {
          translator,
          describeBreak: () => (timing.deadline.expired ? deadlineStreamError(timing.deadline) : undefined),
          eventLimitBytes: this.dependencies.routing.eventLimitBytes,
        },
      );
      if (outcome.kind === 'delivered' || outcome.kind === 'broken') {
        const broken = outcome.kind === 'broken';
        this.recordCall(request, target, {
          status,
          failed: broken,
          timedOut: broken && timing.deadline.expired,
          cancelled: broken && timing.deadline.clientGone,
          inputTokens: outcome.usage.inputTokens,
          outputTokens: outcome.usage.outputTokens,
          cachedInputTokens: outcome.usage.cachedInputTokens,
          cacheWriteTokens: outcome.usage.cacheWriteTokens,
        });
        return { kind: 'done' };
      }
      const interrupted = this.interrupted(request, target, timing, trail, status);
      if (interrupted) return interrupted;
      if (outcome.kind === 'error-event')
        return this.streamStartFailed(request, target, credential, status, outcome.error, trail);
      if (outcome.kind === 'too-large-before-start') return this.tooLarge(request, target, status, trail);
      this.recordCall(request, target, { status, failed: true });
      trail.push({ target, status, reason: 'stream-failed' });
      return { kind: 'retry', reason: outcome.reason };
    }

    let body: Buffer;
    try {
      body = await answer.bytes();
    } catch (error) {
      const interrupted = this.interrupted(request, target, timing, trail, status);
      if (interrupted) return interrupted;
      if (error instanceof AnswerTooLargeError) return this.tooLarge(request, target, status, trail);
      this.recordCall(request, target, { status, failed: true });
      trail.push({ target, status, reason: 'body-failed' });
      return { kind: 'retry', reason: error instanceof Error ? error.message : 'body failed' };
    }
    const text = unwrapper ? unwrapper.body(body.toString('utf8')) : undefined;
    if (translation) {
      timing.timer.reached();
      return this.deliverTranslated(
        request,
        target,
        credential,
        status,
        text ?? body.toString('utf8'),
        trail,
        translation,
      );
    }
    const payload = text === undefined ? body : Buffer.from(text);
    // Parsed once, to check it and to read its usage from; undefined: it does not parse.
    const parsed = contentType.includes('json') ? parseJson(text ?? body.toString('utf8')) : notJson;
    if (parsed === undefined) {
      // A 2xx whose JSON does not parse would break the client's SDK: the bucket failed, the request moves on.
      this.recordCall(request, target, { status, failed: true });
      trail.push({ target, status, reason: 'malformed' });
      return { kind: 'retry', reason: 'malformed JSON answer' };
    }
    timing.timer.reached();
    trail.push({ target, status, reason: 'served' });
    headers['content-length'] = String(payload.length);
    this.writeHead(request, status, target, trail, headers);
    endBody(request.response, payload);
    const usage = parsed === notJson ? readUsage(request.format, text ?? body) : usageOfAnswer(request.format, parsed);
    this.recordCall(request, target, {
      status,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedInputTokens: usage.cachedInputTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
    });
    return { kind: 'done' };
  }

  /** An answer past the limits, before anything reached the client: the bucket failed, another may answer. */
  private tooLarge(request: ProxyRequest, target: Target, status: number, trail: AttemptOutcome[]): AttemptResult {
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

  /** A 2xx answer from a provider of another format, rewritten in the client's format. */
  private deliverTranslated(
    request: ProxyRequest,
    target: Target,
    credential: Credential,
    status: number,
    text: string,
    trail: AttemptOutcome[],
    translation: TranslatedRequest,
  ): AttemptResult {
    const { clock } = this.dependencies;
    const createdSeconds = Math.floor(clock.now() / 1000);
    if (translation.collectsStream) {
      // A stream gathered for a client that wants one answer: an error at its start is decided as for any stream.
      const start = inspectStreamStart(translation.format, text);
      if (start.state === 'error')
        return this.streamStartFailed(request, target, credential, status, start.error, trail);
    }
    const translated = translation.collectsStream
      ? translateCollectedStream(translation.format, request.format, text, createdSeconds)
      : translateAnswer(translation.format, request.format, text, createdSeconds);
    if (!translated) {
      this.recordCall(request, target, { status, failed: true });
      trail.push({ target, status, reason: 'unreadable-answer' });
      const reason = translation.collectsStream
        ? "the provider's stream ended before its last event"
        : 'the provider answered 2xx with a body that is not a JSON object';
      return { kind: 'retry', reason };
    }
    trail.push({ target, status, reason: 'served' });
    this.writeHead(request, status, target, trail, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(translated.body)),
    });
    endBody(request.response, translated.body);
    this.recordCall(request, target, {
      status,
      inputTokens: translated.usage.inputTokens,
      outputTokens: translated.usage.outputTokens,
      cachedInputTokens: translated.usage.cachedInputTokens,
      cacheWriteTokens: translated.usage.cacheWriteTokens,
    });
    return { kind: 'done' };
  }
}

/** What an answer classified this way says about the attempt (the trail shows its status). */
export function attemptReasonOf(classification: Classification, status: number): AttemptReason {
  switch (classification.kind) {
    case 'success':
      return 'served';
    case 'client-error':
      return 'client-error';
    case 'rate-limited':
      return classification.state === 'exhausted' ? 'quota-exhausted' : 'rate-limited';
    case 'auth':
      return 'unauthorized';
    case 'retryable':
      return status === 429 ? 'overloaded' : 'server-error';
  }
}

/**
 * Pipes the upstream body through an unwrapper; `pipe` alone would leave the relay waiting forever on an upstream
 * error, and would keep the upstream request open when the relay stops reading early (an error event, a limit).
 */
function unwrapped(body: Readable, transform: Duplex): Duplex {
  body.once('error', (error) => transform.destroy(error));
  transform.once('close', () => body.destroy());
  return body.pipe(transform);
}

/** What deliver() takes for a body that is not JSON, so its usage is read the general way. */
const notJson = Symbol('not JSON');

/** The clocks one attempt runs under. */
export interface AttemptTiming {
  deadline: RequestDeadline;
  timer: FirstByteTimer;
}

/** The error event that ends a stream the deadline cut off. */
function deadlineStreamError(deadline: RequestDeadline): { status: number; message: string; code: string } {
  return {
    status: 504,
    message:
      `The request deadline of ${deadline.milliseconds} ms passed while the ` +
      `answer was streaming; the answer is incomplete.`,
    code: 'deadline_exceeded',
  };
}
