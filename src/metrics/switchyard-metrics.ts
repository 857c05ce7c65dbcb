import type { Registry } from 'prom-client';
import { currentWindow } from '../core/quota.js';
import type { BucketKey, Clock, ProviderName } from '../core/types.js';
import type { Target } from '../profiles/types.js';
import type { ProxyRequest } from '../router/proxy-request.js';
import type { FailoverReason, RefusedRequest, RequestObserver } from '../router/router-observer.js';
import { type BucketStateStore, effectiveState } from '../state/bucket-state-store.js';
import type { QuotaStore } from '../state/quota-store.js';
import type { CallRecord } from '../state/statistics.js';
import { type CounterCell, CounterCells, KeyedCounter } from './counter-cells.js';
import { type HistogramCell, HistogramCells } from './histogram-cells.js';

/** What the scrape-time gauges read: bucket states and token expiry, looked up only when scraped. */
export interface MetricsSources {
  clock: Clock;
  states: BucketStateStore;
  /** Every bucket worth a state series (used, resting, or in a loaded profile). */
  knownBuckets(): Promise<Iterable<BucketKey>>;
  /** Stored OAuth tokens' expiry, Unix seconds. */
  tokenExpiries(): Promise<{ provider: ProviderName; bucket: string; expiresAt: number }[]>;
  /** Each bucket's usage windows as answers described them (absent: no window gauges). */
  quota?: QuotaStore;
}

/** Seconds; LLM answers range from a few milliseconds (errors) to minutes (long streams). */
const durationBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const bucketStates = ['ready', 'cooling', 'exhausted', 'needs-login'] as const;
/** The client label when client keys are off. */
export const anonymousClient = 'anonymous';

/** Cached cells of one bucket within one profile. */
interface TargetCells {
  byStatus: Map<number, CounterCell>;
  inputTokens: CounterCell;
  outputTokens: CounterCell;
  failovers: Map<FailoverReason, CounterCell>;
}

/** Cached cells of one profile. */
interface ProfileCells {
  duration: HistogramCell;
  firstByte: HistogramCell;
  /** client -> status -> cell */
  requests: Map<string, Map<number, CounterCell>>;
}

/**
 * switchyard's Prometheus metrics, one registry per server. Router events land in cached cells
 * (see CounterCells); bucket state and token expiry are read when /metrics is scraped.
 */
export class SwitchyardMetrics implements RequestObserver {
  private registryBuilt: Promise<Registry> | undefined;
  private readonly upstreamRequests = new CounterCells<'profile' | 'provider' | 'bucket' | 'status'>(
    'switchyard_upstream_requests_total',
    'Calls to provider buckets, by the profile asked for, provider, bucket and HTTP status (0: no answer).',
    ['profile', 'provider', 'bucket', 'status'],
  );
  private readonly tokens = new CounterCells<'profile' | 'provider' | 'bucket' | 'type'>(
    'switchyard_tokens_total',
    'Tokens the providers reported, by profile, provider, bucket and type (input or output).',
    ['profile', 'provider', 'bucket', 'type'],
  );
  private readonly failovers = new CounterCells<'profile' | 'provider' | 'bucket' | 'reason'>(
    'switchyard_failovers_total',
    'Requests that left a bucket for the next one, by profile, the bucket left and the reason.',
    ['profile', 'provider', 'bucket', 'reason'],
  );
  private readonly requests = new CounterCells<'client' | 'profile' | 'status'>(
    'switchyard_requests_total',
    'Client requests routed, by client, profile and the HTTP status the client got (499: the client went away).',
    ['client', 'profile', 'status'],
  );
  private readonly clientTokens = new KeyedCounter(
    new CounterCells<'client' | 'type'>(
      'switchyard_client_tokens_total',
      'Tokens used per client, by type (input or output).',
      ['client', 'type'],
    ),
  );
  private readonly refused = new KeyedCounter(
    new CounterCells<'client' | 'reason' | 'status'>(
      'switchyard_refused_requests_total',
      'Client requests answered by switchyard itself before routing (unknown ' +
        'key, forbidden profile, rate limit, bad request).',
      ['client', 'reason', 'status'],
    ),
  );
  private readonly refreshes = new KeyedCounter(
    new CounterCells<'provider' | 'bucket'>(
      'switchyard_token_refreshes_total',
      'Successful OAuth token refreshes per bucket.',
      ['provider', 'bucket'],
    ),
  );
  private readonly refreshFailures = new KeyedCounter(
    new CounterCells<'provider' | 'bucket' | 'reason'>(
      'switchyard_token_refresh_failures_total',
      'Failed OAuth token refreshes per bucket (invalid_grant: the login is gone).',
      ['provider', 'bucket', 'reason'],
    ),
  );
  private readonly durations = new HistogramCells<'profile'>(
    'switchyard_request_duration_seconds',
    'Time from a client request arriving to its answer ending, by profile.',
    durationBounds,
  );
  private readonly firstBytes = new HistogramCells<'profile'>(
    'switchyard_time_to_first_byte_seconds',
    'Time from a client request arriving to the response head being sent (failover included), by profile.',
    durationBounds,
  );
  private readonly targetCells = new WeakMap<Target, Map<string, TargetCells>>();
  private readonly profileCells = new Map<string, ProfileCells>();
  private readonly clientTokenCellsByClient = new Map<string, { input: CounterCell; output: CounterCell }>();

  constructor(
    private readonly sources: MetricsSources,
    private readonly options: { processMetrics?: boolean } = {},
  ) {}

  /**
   * The Prometheus registry, built on first use: prom-client is a large module that `serve`
   * loads once it listens rather than before (issue 3's start-up target). Nothing is lost
   * meanwhile: the router's events are counted in plain cells from the start.
   */
  registry(): Promise<Registry> {
    this.registryBuilt ??= this.buildRegistry();
    return this.registryBuilt;
  }

  /** The text exposition format and its content type, for GET /metrics. */
  async render(): Promise<{ contentType: string; text: string }> {
    const registry = await this.registry();
    return { contentType: registry.contentType, text: await registry.metrics() };
  }

  /** Families in the order /metrics has always listed them: process metrics, counters, histograms, gauges. */
  private async buildRegistry(): Promise<Registry> {
    // The default export: the bundle hands a CommonJS module's exports over as `default` only.
    const { default: promClient } = await import('prom-client');
    const registry = new promClient.Registry();
    if (this.options.processMetrics !== false)
      promClient.collectDefaultMetrics({ register: registry, prefix: 'switchyard_' });
    for (const counter of [this.upstreamRequests, this.tokens, this.failovers, this.requests])
      counter.publish(promClient, registry);
    for (const keyed of [this.clientTokens, this.refused, this.refreshes, this.refreshFailures])
      keyed.cells.publish(promClient, registry);
    this.durations.publish(registry);
    this.firstBytes.publish(registry);
    publishStateGauges(promClient, registry, this.sources);
    publishQuotaGauges(promClient, registry, this.sources);
    return registry;
  }

  attemptFinished(request: ProxyRequest, target: Target, call: CallRecord): void {
    const cells = this.cellsOf(request.chain.name, target);
    let cell = cells.byStatus.get(call.status);
    if (!cell) {
      cell = this.upstreamRequests.create({
        profile: request.chain.name,
        provider: target.provider,
        bucket: target.bucket,
        status: String(call.status),
      });
      cells.byStatus.set(call.status, cell);
    }
    cell.value += 1;
    if (call.inputTokens) cells.inputTokens.value += call.inputTokens;
    if (call.outputTokens) cells.outputTokens.value += call.outputTokens;
  }

  failover(request: ProxyRequest, target: Target, reason: FailoverReason): void {
    const cells = this.cellsOf(request.chain.name, target);
    let cell = cells.failovers.get(reason);
    if (!cell) {
      cell = this.failovers.create({
        profile: request.chain.name,
        provider: target.provider,
        bucket: target.bucket,
        reason,
      });
      cells.failovers.set(reason, cell);
    }
    cell.value += 1;
  }

  firstByte(request: ProxyRequest): void {
    this.profile(request.chain.name).firstByte.observe((performance.now() - request.record.startedAt) / 1000);
  }

  requestFinished(request: ProxyRequest): void {
    const record = request.record;
    const profile = this.profile(request.chain.name);
    profile.duration.observe((performance.now() - record.startedAt) / 1000);
    const client = record.client ?? anonymousClient;
    let byStatus = profile.requests.get(client);
    if (!byStatus) {
      byStatus = new Map();
      profile.requests.set(client, byStatus);
    }
    const status = request.response.headersSent ? request.response.statusCode : 499;
    let cell = byStatus.get(status);
    if (!cell) {
      cell = this.requests.create({ client, profile: request.chain.name, status: String(status) });
      byStatus.set(status, cell);
    }
    cell.value += 1;
    if (record.inputTokens > 0 || record.outputTokens > 0) {
      const tokens = this.clientTokenCells(client);
      tokens.input.value += record.inputTokens;
      tokens.output.value += record.outputTokens;
    }
  }

  /** A request switchyard answered itself before routing (401, 403, 429, 400...). */
  requestRefused(refused: RefusedRequest): void {
    this.refused.add({
      client: refused.client ?? anonymousClient,
      reason: refused.code,
      status: String(refused.status),
    });
  }

  tokenRefreshed(provider: ProviderName, bucket: string): void {
    this.refreshes.add({ provider, bucket });
  }

  tokenRefreshFailed(provider: ProviderName, bucket: string, reason: string): void {
    this.refreshFailures.add({ provider, bucket, reason });
  }

  /** A client's token cells, created once: the labels are built per client, not per request. */
  private clientTokenCells(client: string): { input: CounterCell; output: CounterCell } {
    let cells = this.clientTokenCellsByClient.get(client);
    if (!cells) {
      cells = {
        input: this.clientTokens.cell({ client, type: 'input' }),
        output: this.clientTokens.cell({ client, type: 'output' }),
      };
      this.clientTokenCellsByClient.set(client, cells);
    }
    return cells;
  }

  private cellsOf(profile: string, target: Target): TargetCells {
    let byProfile = this.targetCells.get(target);
    if (!byProfile) {
      byProfile = new Map();
      this.targetCells.set(target, byProfile);
    }
    let cells = byProfile.get(profile);
    if (!cells) {
      const labels = { profile, provider: target.provider, bucket: target.bucket };
      cells = {
        byStatus: new Map(),
        inputTokens: this.tokens.create({ ...labels, type: 'input' }),
        outputTokens: this.tokens.create({ ...labels, type: 'output' }),
        failovers: new Map(),
      };
      byProfile.set(profile, cells);
    }
    return cells;
  }

  private profile(name: string): ProfileCells {
    let cells = this.profileCells.get(name);
    if (!cells) {
      cells = {
        duration: this.durations.create({ profile: name }),
        firstByte: this.firstBytes.create({ profile: name }),
        requests: new Map(),
      };
      this.profileCells.set(name, cells);
    }
    return cells;
  }
}

/** Gauges read from the stores when scraped: each bucket's routing state, its reset time and its token's expiry. */
function publishStateGauges(
  promClient: typeof import('prom-client'),
  registry: Registry,
  sources: MetricsSources,
): void {
  new promClient.Gauge({
    name: 'switchyard_bucket_state',
    help:
      'The routing state of each bucket: 1 for its current state (ready, ' +
      'cooling, exhausted, needs-login), 0 for the others.',
    labelNames: ['provider', 'bucket', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { provider, bucket, state } of await currentStates(sources)) {
        for (const candidate of bucketStates)
          this.set({ provider, bucket, state: candidate }, candidate === state.status ? 1 : 0);
      }
    },
  });
  new promClient.Gauge({
    name: 'switchyard_bucket_available_at_timestamp_seconds',
    help:
      'When a cooling or exhausted bucket may be used again (Unix seconds); 0 ' +
      'when it is ready or waits for a login.',
    labelNames: ['provider', 'bucket'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { provider, bucket, state } of await currentStates(sources)) {
        const restingUntil = state.status === 'cooling' || state.status === 'exhausted' ? state.until : undefined;
        this.set({ provider, bucket }, restingUntil === undefined ? 0 : restingUntil / 1000);
      }
    },
  });
  new promClient.Gauge({
    name: 'switchyard_token_expiry_timestamp_seconds',
    help: 'When each stored OAuth access token expires (Unix seconds).',
    labelNames: ['provider', 'bucket'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { provider, bucket, expiresAt } of await sources.tokenExpiries())
        this.set({ provider, bucket }, expiresAt);
    },
  });
}

/** Gauges of each bucket's usage windows, named as the provider names them (`5h`, `7d`, `7d_opus`). */
function publishQuotaGauges(
  promClient: typeof import('prom-client'),
  registry: Registry,
  sources: MetricsSources,
): void {
  new promClient.Gauge({
    name: 'switchyard_bucket_quota_used_ratio',
    help: "The share of each bucket's usage window used (0-1), as the provider's last answer said.",
    labelNames: ['provider', 'bucket', 'window'],
    registers: [registry],
    collect() {
      this.reset();
      const now = sources.clock.now();
      for (const [key, quota] of sources.quota?.entries() ?? []) {
        const [provider, bucket] = splitKey(key);
        for (const [name, stored] of Object.entries(quota.windows)) {
          const window = currentWindow(stored, now);
          const used = window.used ?? (window.status === 'rejected' ? 1 : undefined);
          if (used !== undefined) this.set({ provider, bucket, window: name }, used);
        }
      }
    },
  });
  new promClient.Gauge({
    name: 'switchyard_bucket_quota_reset_timestamp_seconds',
    help: "When each bucket's usage window resets (Unix seconds), as the provider's last answer said.",
    labelNames: ['provider', 'bucket', 'window'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [key, quota] of sources.quota?.entries() ?? []) {
        const [provider, bucket] = splitKey(key);
        for (const [name, window] of Object.entries(quota.windows))
          if (window.resetsAt !== undefined) this.set({ provider, bucket, window: name }, window.resetsAt / 1000);
      }
    },
  });
}

/** Every known bucket with its state as routing sees it now (a passed reset counts as ready). */
async function currentStates(
  sources: MetricsSources,
): Promise<{ provider: string; bucket: string; state: ReturnType<typeof effectiveState> }[]> {
  const now = sources.clock.now();
  return [...(await sources.knownBuckets())].map((key) => {
    const [provider, bucket] = splitKey(key);
    return { provider, bucket, state: effectiveState(sources.states.get(key), now) };
  });
}

function splitKey(key: BucketKey): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}
