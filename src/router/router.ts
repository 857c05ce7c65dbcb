import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import type { BucketKey, Clock, Credential, WireFormat } from '../core/types.js';
import type { RoutingSettings } from '../config/settings.js';
import { inspectStreamStart, readUsage, renderError, renderExhausted, usageOfAnswer, type BucketAvailability } from '../formats/index.js';
import type { Chain, Target } from '../profiles/types.js';
import { speaksFormat, type ProviderRegistry } from '../providers/registry.js';
import { effectiveState, type BucketStateStore } from '../state/bucket-state-store.js';
import type { CallRecord, StatisticsStore } from '../state/statistics.js';
import { BucketLimiters, type BucketSlots } from './bucket-limits.js';
import { classifyAnswer, classifyStreamError, type Classification } from './classify.js';
import { isNeedsLoginError, type CredentialSource } from './credential-source.js';
import { failoverReason } from './failover-reason.js';
import type { ProxyRequest } from './proxy-request.js';
import { readErrorText } from './read-body.js';
import { FirstByteTimer, RequestDeadline } from './deadline.js';
import { relayStream } from './relay-stream.js';
import type { RouterObserver } from './router-observer.js';
import { RequestTranslations } from './request-translation.js';
import { targetModel } from './target-model.js';
import { createStreamTranslator } from '../translation/translate-stream.js';
import { translateAnswer, translateCollectedStream, translateErrorAnswer, type TranslatedRequest } from '../translation/translate-exchange.js';
import { headerValue, relayedHeaders } from './response-headers.js';
import { TargetSelector } from './select-target.js';
import { TokenRotations } from './token-rotations.js';
import type { SessionStickiness } from './session-affinity.js';
import { systemTimers, type Timers } from './timers.js';
import type { UpstreamClient } from './upstream-client.js';

export interface RouterDependencies {
  providers: ProviderRegistry;
  credentials: CredentialSource;
  states: BucketStateStore;
  statistics: StatisticsStore;
  upstream: UpstreamClient;
  clock: Clock;
  routing: RoutingSettings;
  /** Per-bucket limits (default: this process's limiters; cluster mode: held across instances in Redis). */
  limiters?: BucketSlots;
  /** Session stickiness per chain (default: this process's memory; cluster mode: shared in Redis). */
  sessions?: (chain: string) => SessionStickiness;
  /** Backoff between retries on the same bucket; injectable so tests do not wait. */
  sleep?: (milliseconds: number) => Promise<void>;
  /** The request deadline and first-byte timers; injectable so tests can fire them by hand. */
  timers?: Timers;
  /** Metrics, logs and client statistics hear each attempt, failover and finished request. */
  observer?: RouterObserver | undefined;
}

/** How one attempt on a bucket ended, as far as the attempt loop is concerned. */
type AttemptResult =
  | { kind: 'done' }
  | { kind: 'switch' }
  | { kind: 'timeout' }
  | { kind: 'retry'; reason: string }
  | { kind: 'unauthorized'; usedAccessToken: string | undefined };

/** Re-check a bucket that needs login this often (a local credential look-up, no upstream call). */
const needsLoginRecheckMs = 5_000;
/** A refresh that failed for a passing reason (not a rejected token) rests the bucket this long. */
const refreshFailureCooldownMs = 30_000;
/** Under load, other requests may rotate a bucket's token this many times while one request retries. */
const maximumStaleTokenRetries = 3;
/** An API key the provider rejected is not retried for this long. */
const rejectedKeyCooldownMs = 5 * 60_000;

const countTokensPath = '/v1/messages/count_tokens';

const defaultSleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds).unref());

/**
 * The attempt loop: pick a bucket, authenticate, call the provider, classify the answer, and
 * either relay it or move on, until the client has an answer.
 */
export class Router {
  private readonly selector: TargetSelector;
  private readonly limiters: BucketSlots;
  private readonly formatChains = new WeakMap<Chain, Map<WireFormat, Chain>>();
  private readonly sleep: (milliseconds: number) => Promise<void>;
  private readonly timers: Timers;
  private readonly observer: RouterObserver | undefined;
  private readonly translations = new RequestTranslations();
  private readonly rotations = new TokenRotations();
  /** Why each bucket needing login does, in words that say the fix (an unset key variable is not a login). */
  private readonly needsLoginAdvice = new Map<BucketKey, string>();

  constructor(private readonly dependencies: RouterDependencies) {
    this.selector = new TargetSelector(dependencies.states, dependencies.sessions);
    this.limiters = dependencies.limiters ?? new BucketLimiters();
    this.sleep = dependencies.sleep ?? defaultSleep;
    this.timers = dependencies.timers ?? systemTimers;
    this.observer = dependencies.observer;
  }

  async handle(request: ProxyRequest): Promise<void> {
    try {
      await this.routeWithinDeadline(request);
    } finally {
      this.observer?.requestFinished(request);
    }
  }

  private async routeWithinDeadline(request: ProxyRequest): Promise<void> {
    // Every bucket can serve every format through translation, except token counting, which only Anthropic has.
    const chain = request.path === countTokensPath ? this.chainForFormat(request.chain, request.format) : request.chain;
    if (chain.targets.length === 0) {
      this.sendError(request, 400, {
        message: `Profile "${request.chain.name}" has no bucket whose provider speaks the ${request.format} format; pick a profile for this API with the x-switchyard-profile header or \`switchyard profile load\`.`,
        code: 'no_bucket_for_format',
      });
      return;
    }
    const deadline = new RequestDeadline(request.signal, chain.timeouts?.requestMs ?? this.dependencies.routing.requestTimeoutMs, this.timers);
    // Below here `signal` aborts on the deadline as well as on the client's departure.
    const bounded: ProxyRequest = { ...request, signal: deadline.signal };
    const trail = request.record.trail;
    try {
      await this.route(bounded, chain, trail, deadline);
    } finally {
      deadline.dispose();
    }
    if (deadline.expired && !request.response.headersSent) {
      this.sendError(request, 504, {
        message: `No answer within the request deadline of ${deadline.milliseconds} ms (attempts: ${trail.join(', ') || 'none'}).`,
        code: 'deadline_exceeded',
      }, trail);
    }
  }

  /** The attempt loop proper: bucket after bucket until one answers or none is left. */
  private async route(request: ProxyRequest, chain: Chain, trail: string[], deadline: RequestDeadline): Promise<void> {
    const tried: BucketKey[] = [];
    let lastFailure: string | undefined;
    let left: Target | undefined;
    for (;;) {
      if (request.signal.aborted) return;
      const target = this.selector.select(chain, this.dependencies.clock.now(), tried, request.sessionKey);
      if (!target) break;
      if (left !== undefined && this.observer) this.reportFailover(request, left);
      tried.push(target.key);
      const outcome = await this.tryBucket(request, target, trail, deadline, chain);
      if (outcome === 'done') return;
      lastFailure = outcome === 'failed' ? target.key : lastFailure;
      left = target;
    }
    if (request.signal.aborted) return;
    this.answerWhenNothingIsLeft(request, chain, trail, lastFailure);
  }

  private reportFailover(request: ProxyRequest, left: Target): void {
    const state = effectiveState(this.dependencies.states.get(left.key), this.dependencies.clock.now());
    this.observer?.failover(request, left, failoverReason(state, request.record.trail.at(-1)));
  }

  /** Counts one upstream call in the statistics and tells the observer. */
  private recordCall(request: ProxyRequest, target: Target, call: CallRecord): void {
    this.dependencies.statistics.recordCall(target.key, call);
    if (call.inputTokens !== undefined) request.record.inputTokens += call.inputTokens;
    if (call.outputTokens !== undefined) request.record.outputTokens += call.outputTokens;
    this.observer?.attemptFinished(request, target, call);
  }

  /** A profile's targets that can serve a format without translation, cached per chain. */
  private chainForFormat(chain: Chain, format: WireFormat): Chain {
    let byFormat = this.formatChains.get(chain);
    if (!byFormat) {
      byFormat = new Map();
      this.formatChains.set(chain, byFormat);
    }
    let filtered = byFormat.get(format);
    if (!filtered) {
      const targets = chain.targets.filter((target) => speaksFormat(target.provider, format));
      filtered = targets.length === chain.targets.length ? chain : { ...chain, targets };
      byFormat.set(format, filtered);
    }
    return filtered;
  }

  /** Every attempt on one bucket: the refresh after a 401 and the bounded retries after 5xx. */
  private async tryBucket(request: ProxyRequest, target: Target, trail: string[], deadline: RequestDeadline, chain: Chain): Promise<'done' | 'switched' | 'failed'> {
    const { credentials, states, clock } = this.dependencies;
    let credential: Credential;
    let seenRotation = this.rotations.epoch(target.key);
    try {
      credential = credentials.readyCredential?.(target.provider, target.bucket) ?? (await credentials.getCredential(target.provider, target.bucket));
    } catch (error) {
      const reason = isNeedsLoginError(error) ? 'needs-login' : 'credential-error';
      if (isNeedsLoginError(error)) this.needsLoginAdvice.set(target.key, (error as Error).message);
      states.set(target.key, { status: 'needs-login', until: clock.now() + needsLoginRecheckMs, reason });
      trail.push(`${target.key}:${reason}`);
      return 'switched';
    }
    if (credential.kind === 'oauth' && this.dependencies.providers[target.provider].settings.oauthEnabled === false) {
      // `switchyard auth <provider> disable` turns the provider's OAuth buckets off.
      trail.push(`${target.key}:oauth-disabled`);
      return 'switched';
    }
    const slot = this.limiters.acquire(target.key, target.limits);
    const release = slot ? await slot : undefined;
    try {
      let refreshed = false;
      let serverErrorRetries = 0;
      let staleTokenRetries = 0;
      for (;;) {
        const firstByteMs = target.timeouts?.firstByteMs ?? chain.timeouts?.firstByteMs ?? this.dependencies.routing.firstByteTimeoutMs;
        const timer = deadline.firstByte(firstByteMs);
        let result: AttemptResult;
        try {
          result = await this.attempt(request, target, credential, trail, { deadline, timer });
        } finally {
          timer.dispose();
        }
        if (result.kind === 'done') return 'done';
        if (result.kind === 'switch') return 'switched';
        // A bucket that kept the first byte waiting is likely stalled: retrying it would spend the deadline on it.
        if (result.kind === 'timeout') return 'failed';
        if (result.kind === 'retry') {
          if (serverErrorRetries >= this.dependencies.routing.serverErrorRetries || request.signal.aborted) return 'failed';
          const delay = this.dependencies.routing.retryBackoffMs * 2 ** serverErrorRetries;
          serverErrorRetries += 1;
          if (delay > 0) await this.sleep(delay * (0.75 + Math.random() * 0.5));
          continue;
        }
        // 401: one refresh, then the same bucket again; a second 401 means the login is gone. A 401 for
        // a token that another request rotated meanwhile does not count: the current token gets its chance.
        const stale = this.rotations.rotatedSince(target.key, seenRotation) && staleTokenRetries < maximumStaleTokenRetries;
        if ((stale || !refreshed) && credential.kind === 'oauth') {
          if (stale) staleTokenRetries += 1;
          else refreshed = true;
          const refused = result.usedAccessToken ?? credential.accessToken;
          try {
            credential = await this.rotations.track(target.key, refused, () => credentials.refreshAfterUnauthorized(target.provider, target.bucket, refused));
            seenRotation = this.rotations.epoch(target.key);
            continue;
          } catch (error) {
            if (isNeedsLoginError(error)) await this.markNeedsLogin(target, 'refresh-rejected', false);
            else {
              // The token endpoint failed for now (network, 5xx): rest briefly, the login may still be good.
              const until = this.dependencies.clock.now() + refreshFailureCooldownMs;
              this.dependencies.states.set(target.key, { status: 'cooling', until, reason: 'refresh-failed' });
            }
            trail.push(`${target.key}:refresh-failed`);
            return 'switched';
          }
        }
        await this.markNeedsLogin(target, credential.kind === 'api-key' ? 'api-key-rejected' : 'unauthorized-after-refresh', true);
        return 'switched';
      }
    } finally {
      release?.();
    }
  }

  private async markNeedsLogin(target: Target, reason: string, persist: boolean): Promise<void> {
    const now = this.dependencies.clock.now();
    const recheck = reason === 'api-key-rejected' ? rejectedKeyCooldownMs : needsLoginRecheckMs;
    this.dependencies.states.set(target.key, { status: 'needs-login', until: now + recheck, reason });
    if (reason === 'api-key-rejected') {
      this.needsLoginAdvice.set(target.key, `${target.key} API key was rejected by ${target.provider}; put a valid key in its variable, or run: switchyard auth ${target.provider} key ${target.bucket} --env OTHER_VARIABLE.`);
    } else this.needsLoginAdvice.delete(target.key);
    // Persisted so that a restart does not send the dead token again; a failed write only loses that.
    if (persist) await this.dependencies.credentials.markNeedsLogin(target.provider, target.bucket, reason).catch(() => undefined);
  }

  /** One upstream call and what to do with its answer. */
  private async attempt(request: ProxyRequest, target: Target, credential: Credential, trail: string[], timing: AttemptTiming): Promise<AttemptResult> {
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
      forwardHeaders: pickForwardHeaders(request.headers, provider.definition.forwardedHeaders),
      credential,
      settings: provider.settings,
    });
    outgoing.headers['accept-encoding'] = 'identity';

    let answer;
    try {
      answer = await upstream.send(outgoing, timing.timer.signal);
    } catch (error) {
      const interrupted = this.interrupted(request, target, timing, trail, 0);
      if (interrupted) return interrupted;
      this.recordCall(request, target, { status: 0 });
      trail.push(`${target.key}:network`);
      return { kind: 'retry', reason: error instanceof Error ? error.message : 'network error' };
    }

    const status = answer.statusCode;
    const usedAccessToken = credential.kind === 'oauth' ? credential.accessToken : undefined;
    if (status >= 200 && status < 300) {
      return this.deliver(request, target, credential, answer, trail, timing, translation);
    }

    const body = await readErrorText(answer.body);
    const interrupted = this.interrupted(request, target, timing, trail, status);
    if (interrupted) return interrupted;
    const classification = classifyAnswer({ provider: target.provider, status, headers: answer.headers, body, now: clock.now() });
    this.recordCall(request, target, { status });
    trail.push(`${target.key}:${status}`);
    if (classification.kind === 'client-error') {
      // Not the bucket's fault: the client gets the provider's own answer, in the client's format.
      if (translation) {
        const translated = translateErrorAnswer(translation.format, request.format, status, body);
        this.writeHead(request, status, target, trail, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(translated)) });
        request.response.end(translated);
        return { kind: 'done' };
      }
      this.writeHead(request, status, target, trail, relayedHeaders(answer.headers));
      request.response.end(body);
      return { kind: 'done' };
    }
    return this.applyClassification(target, classification, usedAccessToken);
  }

  private applyClassification(target: Target, classification: Classification, usedAccessToken: string | undefined): AttemptResult {
    switch (classification.kind) {
      case 'rate-limited': {
        const now = this.dependencies.clock.now();
        const until = classification.until ?? now + this.dependencies.routing.defaultCooldownSeconds * 1000;
        this.dependencies.states.set(target.key, { status: classification.state, until, reason: classification.reason });
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
  private async deliver(
    request: ProxyRequest,
    target: Target,
    credential: Credential,
    answer: Awaited<ReturnType<UpstreamClient['send']>>,
    trail: string[],
    timing: AttemptTiming,
    translation: TranslatedRequest | undefined,
  ): Promise<AttemptResult> {
    const { clock, providers } = this.dependencies;
    const status = answer.statusCode;
    const unwrapper = providers[target.provider].definition.responseUnwrapper?.(credential);
    const contentType = headerValue(answer.headers, 'content-type') ?? '';
    const headers = relayedHeaders(answer.headers);

    if (contentType.includes('text/event-stream') && !translation?.collectsStream) {
      const source = unwrapper ? unwrapped(answer.body, unwrapper.stream()) : answer.body;
      const upstreamFormat = translation?.format ?? request.format;
      const translator = translation ? createStreamTranslator(upstreamFormat, request.format, Math.floor(clock.now() / 1000)) : undefined;
      const outcome = await relayStream(
        source,
        request.response,
        upstreamFormat,
        () => {
          timing.timer.reached();
          trail.push(`${target.key}:${status}`);
          this.writeHead(request, status, target, trail, headers);
        },
        translator,
        () => (timing.deadline.expired ? deadlineStreamError(timing.deadline) : undefined),
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
        });
        return { kind: 'done' };
      }
      const interrupted = this.interrupted(request, target, timing, trail, status);
      if (interrupted) return interrupted;
      if (outcome.kind === 'error-event') return this.streamStartFailed(request, target, credential, status, outcome.error, trail);
      this.recordCall(request, target, { status, failed: true });
      trail.push(`${target.key}:stream-failed`);
      return { kind: 'retry', reason: outcome.reason };
    }

    let body: Buffer;
    try {
      body = await answer.bytes();
    } catch (error) {
      const interrupted = this.interrupted(request, target, timing, trail, status);
      if (interrupted) return interrupted;
      this.recordCall(request, target, { status, failed: true });
      trail.push(`${target.key}:body-failed`);
      return { kind: 'retry', reason: error instanceof Error ? error.message : 'body failed' };
    }
    const text = unwrapper ? unwrapper.body(body.toString('utf8')) : undefined;
    if (translation) {
      timing.timer.reached();
      return this.deliverTranslated(request, target, credential, status, text ?? body.toString('utf8'), trail, translation);
    }
    const payload = text === undefined ? body : Buffer.from(text);
    // Parsed once: to check it, and to read its usage from.
    const parsed = contentType.includes('json') ? parseJson(text ?? body.toString('utf8')) : notJson;
    if (parsed === malformed) {
      // A 2xx whose JSON does not parse would break the client's SDK: the bucket failed, the request moves on.
      this.recordCall(request, target, { status, failed: true });
      trail.push(`${target.key}:malformed`);
      return { kind: 'retry', reason: 'malformed JSON answer' };
    }
    timing.timer.reached();
    trail.push(`${target.key}:${status}`);
    headers['content-length'] = String(payload.length);
    this.writeHead(request, status, target, trail, headers);
    request.response.end(payload);
    const usage = parsed === notJson ? readUsage(request.format, text ?? body) : usageOfAnswer(request.format, parsed);
    this.recordCall(request, target, { status, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens });
    return { kind: 'done' };
  }

  /**
   * When the client left, the deadline passed or the first byte came too late, the attempt was
   * aborted: count it once, as what it was, and say how the loop goes on; undefined otherwise.
   */
  private interrupted(request: ProxyRequest, target: Target, { deadline, timer }: AttemptTiming, trail: string[], status: number): AttemptResult | undefined {
    if (deadline.clientGone) {
      this.recordCall(request, target, { status, cancelled: true });
      return { kind: 'done' };
    }
    if (deadline.expired) {
      this.recordCall(request, target, { status, timedOut: true });
      trail.push(`${target.key}:deadline`);
      return { kind: 'done' };
    }
    if (timer.timedOut) {
      this.recordCall(request, target, { status, timedOut: true });
      trail.push(`${target.key}:timeout`);
      return { kind: 'timeout' };
    }
    return undefined;
  }

  /** A stream that opened with an error event: decided like the same error sent as an answer. */
  private streamStartFailed(request: ProxyRequest, target: Target, credential: Credential, status: number, error: unknown, trail: string[]): AttemptResult {
    const { clock } = this.dependencies;
    const classification = classifyStreamError(target.provider, error, clock.now());
    const countedStatus = classification.kind === 'rate-limited' ? 429 : classification.kind === 'auth' ? 401 : status;
    this.recordCall(request, target, { status: countedStatus, failed: true });
    trail.push(`${target.key}:${countedStatus === status ? 'stream-error' : countedStatus}`);
    if (classification.kind === 'client-error') return { kind: 'retry', reason: classification.reason };
    return this.applyClassification(target, classification, credential.kind === 'oauth' ? credential.accessToken : undefined);
  }

  /** A 2xx answer from a provider of another format, rewritten in the client's format. */
  private deliverTranslated(request: ProxyRequest, target: Target, credential: Credential, status: number, text: string, trail: string[], translation: TranslatedRequest): AttemptResult {
    const { clock } = this.dependencies;
    const createdSeconds = Math.floor(clock.now() / 1000);
    if (translation.collectsStream) {
      // A stream gathered for a client that wants one answer: an error at its start is decided as for any stream.
      const start = inspectStreamStart(translation.format, text);
      if (start.state === 'error') return this.streamStartFailed(request, target, credential, status, start.error, trail);
    }
    const translated = translation.collectsStream
      ? translateCollectedStream(translation.format, request.format, text, createdSeconds)
      : translateAnswer(translation.format, request.format, text, createdSeconds);
    if (!translated) {
      this.recordCall(request, target, { status, failed: true });
      trail.push(`${target.key}:unreadable-answer`);
      const reason = translation.collectsStream ? 'the provider\'s stream ended before its last event' : 'the provider answered 2xx with a body that is not a JSON object';
      return { kind: 'retry', reason };
    }
    trail.push(`${target.key}:${status}`);
    this.writeHead(request, status, target, trail, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(translated.body)) });
    request.response.end(translated.body);
    this.recordCall(request, target, { status, inputTokens: translated.usage.inputTokens, outputTokens: translated.usage.outputTokens });
    return { kind: 'done' };
  }

  private writeHead(request: ProxyRequest, status: number, target: Target, trail: string[], headers: Record<string, string | string[]>): void {
    headers['x-switchyard-bucket'] = target.key;
    headers['x-switchyard-attempts'] = trail.join(',');
    request.response.writeHead(status, headers);
    request.record.servedBy = target;
    request.record.firstByteAt = performance.now();
    this.observer?.firstByte(request, target);
  }

  /** Nothing answered: the exhausted answer when every bucket is resting, else the failure. */
  private answerWhenNothingIsLeft(request: ProxyRequest, chain: Chain, trail: string[], lastFailure: string | undefined): void {
    const now = this.dependencies.clock.now();
    const availability: BucketAvailability[] = chain.targets.map((target) => {
      const state = effectiveState(this.dependencies.states.get(target.key), now);
      const advice = state.status === 'needs-login' ? this.needsLoginAdvice.get(target.key) : undefined;
      return { key: target.key, state: state.status, availableAt: state.status === 'needs-login' ? undefined : state.until, ...(advice ? { advice } : {}) };
    });
    if (lastFailure === undefined || availability.every((bucket) => bucket.state !== 'ready')) {
      const exhausted = renderExhausted(request.format, availability, now);
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-switchyard-attempts': trail.join(',') };
      if (exhausted.retryAfterSeconds !== undefined) headers['retry-after'] = String(exhausted.retryAfterSeconds);
      request.response.writeHead(exhausted.status, headers);
      request.response.end(exhausted.body);
      return;
    }
    this.sendError(request, 502, {
      message: `Every bucket that could serve this request failed (attempts: ${trail.join(', ')}).`,
      code: 'upstream_failed',
    }, trail);
  }

  private sendError(request: ProxyRequest, status: number, error: { message: string; code: string }, trail: string[] = []): void {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (trail.length > 0) headers['x-switchyard-attempts'] = trail.join(',');
    request.response.writeHead(status, headers);
    request.response.end(renderError(request.format, { status, ...error }));
  }

  async close(): Promise<void> {
    await this.limiters.close();
  }
}

/** Pipes the upstream body through an unwrapper; `pipe` alone would leave the relay waiting forever on an upstream error. */
function unwrapped(body: Readable, transform: Duplex): Duplex {
  body.once('error', (error) => transform.destroy(error));
  return body.pipe(transform);
}

/** What parseJson answers for text that does not parse, and deliver() for a body that is not JSON. */
const malformed = Symbol('malformed');
const notJson = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return malformed;
  }
}

/** The clocks one attempt runs under. */
interface AttemptTiming {
  deadline: RequestDeadline;
  timer: FirstByteTimer;
}

/** The error event that ends a stream the deadline cut off. */
function deadlineStreamError(deadline: RequestDeadline): { status: number; message: string; code: string } {
  return {
    status: 504,
    message: `The request deadline of ${deadline.milliseconds} ms passed while the answer was streaming; the answer is incomplete.`,
    code: 'deadline_exceeded',
  };
}

/** Only the provider's own protocol headers travel upstream; credentials and hop headers never do. */
function pickForwardHeaders(headers: IncomingHttpHeaders, allowed: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of allowed) {
    const value = headers[name];
    if (typeof value === 'string') picked[name] = value;
  }
  return picked;
}
