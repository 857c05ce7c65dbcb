import { EventEmitter } from 'node:events';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { defaultSettings, type RoutingSettings } from '../../config/settings.js';
import { ManualClock } from '../../core/manual-clock.js';
import type { BucketKey, Credential, ProviderName } from '../../core/types.js';
import type { Chain, Target } from '../../profiles/types.js';
import { createProviderRegistry } from '../../providers/registry.js';
import type { OutgoingRequest } from '../../providers/types.js';
import { type BucketStateStore, createMemoryBucketStateStore } from '../../state/bucket-state-store.js';
import { MemoryStatisticsStore } from '../../state/memory-statistics-store.js';
import { Cancellation, type CancelSignal } from '../cancellation.js';
import type { CredentialSource } from '../credential-source.js';
import type { ProxyRequest } from '../proxy-request.js';
import { startRequestRecord } from '../request-record.js';
import { Router } from '../router.js';
import type { RouterDependencies } from '../router-dependencies.js';
import type { FailoverReason, RouterObserver } from '../router-observer.js';
import type { Timers } from '../timers.js';
import type { UpstreamAnswer } from '../upstream-response.js';

/** What a scripted upstream does with one call: answer, fail to connect, or wait until aborted. */
export type UpstreamStep =
  | { kind: 'answer'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'network-error' }
  | { kind: 'hang' };

/** An answer as undici would give it: status and headers at once, the body whole or as a stream. */
function answerOf(status: number, headers: Record<string, string>, body: string): UpstreamAnswer {
  return {
    statusCode: status,
    headers,
    get body() {
      return Readable.from([Buffer.from(body)]);
    },
    bytes: () => Promise.resolve(Buffer.from(body)),
  };
}

const okBody = JSON.stringify({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  content: [{ type: 'text', text: 'Hi' }],
  usage: { input_tokens: 3, output_tokens: 5 },
});

/** 200 with an Anthropic message. */
export const ok: UpstreamStep = {
  kind: 'answer',
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: okBody,
};

/** An error answer with an Anthropic error body. */
export function failing(status: number, headers: Record<string, string> = {}): UpstreamStep {
  const body = JSON.stringify({ type: 'error', error: { type: 'error', message: `status ${status}` } });
  return { kind: 'answer', status, headers: { 'content-type': 'application/json', ...headers }, body };
}

/** One call that reached the fake upstream: which bucket (by its token) and whether it was aborted. */
export interface UpstreamCall {
  bucket: string;
  token: string;
  signal: CancelSignal | undefined;
}

/**
 * The upstream as the router's seam sees it: per bucket (told apart by the token the credential
 * source gives it), a script of steps; an unscripted call answers 200.
 */
export class FakeUpstream {
  readonly calls: UpstreamCall[] = [];
  private readonly scripts = new Map<string, UpstreamStep[]>();

  script(bucket: string, ...steps: UpstreamStep[]): void {
    this.scripts.set(bucket, steps);
  }

  send(request: OutgoingRequest, signal: CancelSignal | undefined): Promise<UpstreamAnswer> {
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    const bucket = token.split(':')[0]!;
    this.calls.push({ bucket, token, signal });
    const step = this.scripts.get(bucket)?.shift() ?? ok;
    if (step.kind === 'network-error') return Promise.reject(new Error('connect ECONNREFUSED'));
    if (step.kind === 'hang') {
      return new Promise((_resolve, reject) => {
        const abort = () => reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
        if (signal?.aborted) abort();
        else signal?.addEventListener('abort', abort, { once: true });
      });
    }
    return Promise.resolve(answerOf(step.status, step.headers ?? {}, step.body ?? ''));
  }

  /** The buckets called, in order. */
  buckets(): string[] {
    return this.calls.map((call) => call.bucket);
  }
}

/** OAuth tokens `<bucket>:<generation>`; a refresh hands out the next generation, or refuses when told. */
export class FakeCredentials implements CredentialSource {
  readonly refreshes: { bucket: string; refused: string }[] = [];
  readonly markedNeedsLogin: { bucket: string; reason: string }[] = [];
  private readonly generations = new Map<string, number>();
  /** Buckets whose refresh the token endpoint refuses (the login is gone). */
  readonly refusedRefresh = new Set<string>();
  /** Buckets with no login at all. */
  readonly loggedOut = new Set<string>();
  /** Credential look-ups so far (one per bucket a request tries). */
  lookups = 0;

  getCredential(_provider: ProviderName, bucket: string): Promise<Credential> {
    this.lookups += 1;
    if (this.loggedOut.has(bucket)) return Promise.reject(needsLogin(`anthropic/${bucket} needs a login`));
    return Promise.resolve({ kind: 'oauth', accessToken: `${bucket}:${this.generations.get(bucket) ?? 0}` });
  }

  refreshAfterUnauthorized(_provider: ProviderName, bucket: string, refused: string): Promise<Credential> {
    this.refreshes.push({ bucket, refused });
    if (this.refusedRefresh.has(bucket)) return Promise.reject(needsLogin('invalid_grant'));
    const generation = (this.generations.get(bucket) ?? 0) + 1;
    this.generations.set(bucket, generation);
    return Promise.resolve({ kind: 'oauth', accessToken: `${bucket}:${generation}` });
  }

  markNeedsLogin(_provider: ProviderName, bucket: string, reason: string): Promise<void> {
    this.markedNeedsLogin.push({ bucket, reason });
    return Promise.resolve();
  }
}

function needsLogin(message: string): Error {
  const error = new Error(message);
  error.name = 'NeedsLoginError';
  return error;
}

/** Timers the test fires by hand: each started timer is kept with its duration until cancelled. */
export class ManualTimers implements Timers {
  private readonly pending = new Set<{ milliseconds: number; callback: () => void }>();

  start(milliseconds: number, callback: () => void): () => void {
    const timer = { milliseconds, callback };
    this.pending.add(timer);
    return () => this.pending.delete(timer);
  }

  /** Fires every pending timer of this duration; false when there was none. */
  fire(milliseconds: number): boolean {
    const due = [...this.pending].filter((timer) => timer.milliseconds === milliseconds);
    for (const timer of due) {
      this.pending.delete(timer);
      timer.callback();
    }
    return due.length > 0;
  }

  /** Durations still pending (a leak when a request is over). */
  durations(): number[] {
    return [...this.pending].map((timer) => timer.milliseconds);
  }
}

/** A client response that keeps what was written to it. */
export class RecordedResponse extends EventEmitter {
  statusCode = 0;
  headers: OutgoingHttpHeaders = {};
  body = '';
  headersSent = false;
  writableFinished = false;
  destroyed = false;

  writeHead(status: number, headers: OutgoingHttpHeaders): this {
    this.statusCode = status;
    this.headers = headers;
    this.headersSent = true;
    return this;
  }

  write(chunk: string | Buffer): boolean {
    this.body += chunk.toString();
    return true;
  }

  /** A real response sends writes between cork() and uncork() in one `writev`; here they are recorded as they come. */
  cork(): void {}

  uncork(): void {}

  end(chunk?: string | Buffer): this {
    if (chunk !== undefined) this.body += chunk.toString();
    this.writableFinished = true;
    this.emit('close');
    return this;
  }

  destroy(): this {
    this.destroyed = true;
    this.emit('close');
    return this;
  }

  json(): { error?: { message?: string; type?: string } } {
    return JSON.parse(this.body) as { error?: { message?: string; type?: string } };
  }
}

/** A failover pool of Anthropic buckets, in priority order. */
export function chainOf(buckets: string[]): Chain {
  const targets: Target[] = buckets.map((bucket) => ({
    provider: 'anthropic',
    bucket,
    key: `anthropic/${bucket}` as BucketKey,
    model: undefined,
    limits: undefined,
    profile: 'pool',
  }));
  return { name: 'pool', policy: 'failover', sticky: false, targets };
}

/** Durations the test knows the timers by. */
export const requestTimeoutMs = 60_000;
export const firstByteTimeoutMs = 5_000;

/** A Router wired to fakes only: every seam is the test's. */
export function routerWithFakes(routing: Partial<RoutingSettings> = {}) {
  const clock = new ManualClock(Date.parse('2026-11-23T10:00:00.000Z'));
  const upstream = new FakeUpstream();
  const credentials = new FakeCredentials();
  const stored = createMemoryBucketStateStore();
  let stateReads = 0;
  // Counts reads: how much work choosing buckets costs, which tests measure in operations, not time.
  const states: BucketStateStore = {
    get: (key) => {
      stateReads += 1;
      return stored.get(key);
    },
    set: (key, state) => stored.set(key, state),
    clear: (key) => stored.clear(key),
    entries: () => stored.entries(),
    get version() {
      return stored.version;
    },
    changedSince: (version) => stored.changedSince(version),
  };
  const statistics = new MemoryStatisticsStore(clock);
  const timers = new ManualTimers();
  const sleeps: number[] = [];
  const failovers: { bucket: string; reason: FailoverReason }[] = [];
  const observer: RouterObserver = {
    attemptFinished: () => {},
    failover: (_request, target, reason) => failovers.push({ bucket: target.bucket, reason }),
    firstByte: () => {},
    requestFinished: () => {},
  };
  const dependencies: RouterDependencies = {
    providers: createProviderRegistry(defaultSettings),
    credentials,
    states,
    statistics,
    upstream,
    clock,
    routing: {
      ...defaultSettings.routing,
      serverErrorRetries: 2,
      retryBackoffMs: 100,
      requestTimeoutMs,
      firstByteTimeoutMs,
      ...routing,
    },
    // Each login re-check wait drawn at its longest: tests read the nominal 5, 10, 20 s.
    random: () => 1,
    sleep: (milliseconds) => {
      sleeps.push(milliseconds);
      return Promise.resolve();
    },
    timers,
    observer,
  };
  const router = new Router(dependencies);
  const counts = { stateReads: () => stateReads };
  return { router, clock, upstream, credentials, states, statistics, timers, sleeps, failovers, counts };
}

/** A plain Anthropic request from a client still waiting, to `chain`. */
export function requestTo(chain: Chain) {
  const response = new RecordedResponse();
  const clientGone = new Cancellation();
  const body = { model: 'claude-sonnet-4-6', max_tokens: 32, messages: [{ role: 'user', content: 'Hi' }] };
  const request: ProxyRequest = {
    format: 'anthropic-messages',
    path: '/v1/messages',
    body,
    rawBody: JSON.stringify(body),
    clientModel: 'claude-sonnet-4-6',
    stream: false,
    headers: { 'anthropic-version': '2023-06-01' },
    chain,
    sessionKey: undefined,
    response: response as unknown as ServerResponse,
    signal: clientGone,
    record: startRequestRecord(undefined, 0),
  };
  return { request, response, clientGone };
}

/** Lets pending promise reactions and stream callbacks run. */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}
