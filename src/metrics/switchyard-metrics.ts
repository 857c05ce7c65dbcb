import type { Registry } from 'prom-client';
import type { ProviderName } from '../core/types.js';
import type { Target } from '../profiles/types.js';
import type { BucketRest } from '../router/bucket-rests.js';
import type { ProxyRequest } from '../router/proxy-request.js';
import type { FailoverReason, RefusedRequest, RequestObserver } from '../router/router-observer.js';
import type { CallRecord } from '../state/statistics.js';
import { type CounterCell, CounterCells, KeyedCounter } from './counter-cells.js';
import { type HistogramCell, HistogramCells } from './histogram-cells.js';
import { type MetricsSources, publishScrapeGauges } from './scrape-gauges.js';

export type { MetricsSources };

/** Seconds; LLM answers range from a few milliseconds (errors) to minutes (long streams). */
const durationBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** The client label when client keys are off. */
export const anonymousClient = 'anonymous';

/** Cached cells of one bucket within one profile. */
interface TargetCells {
  labels: { profile: string; provider: string; bucket: string };
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
  private readonly rests = new KeyedCounter(
    new CounterCells<'provider' | 'bucket' | 'reason'>(
      'switchyard_bucket_rests_total',
      'Rests begun by buckets that failed again and again (5xx, network errors, ' +
        'first-byte timeouts), by the last failure (http_500, network, timeout).',
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
    for (const keyed of [this.clientTokens, this.refused, this.refreshes, this.refreshFailures, this.rests])
      keyed.cells.publish(promClient, registry);
    this.durations.publish(registry);
    this.firstBytes.publish(registry);
    publishScrapeGauges(promClient, registry, this.sources);
    return registry;
  }

  attemptFinished(request: ProxyRequest, target: Target, call: CallRecord): void {
    const cells = this.cellsOf(request.chain.name, target);
    const cell = cellOf(cells.byStatus, call.status, () =>
      this.upstreamRequests.create({ ...cells.labels, status: String(call.status) }),
    );
    cell.value += 1;
    if (call.inputTokens) cells.inputTokens.value += call.inputTokens;
    if (call.outputTokens) cells.outputTokens.value += call.outputTokens;
  }

  failover(request: ProxyRequest, target: Target, reason: FailoverReason): void {
    const cells = this.cellsOf(request.chain.name, target);
    const cell = cellOf(cells.failovers, reason, () => this.failovers.create({ ...cells.labels, reason }));
    cell.value += 1;
  }

  bucketRested(_request: ProxyRequest, target: Target, rest: BucketRest): void {
    this.rests.add({ provider: target.provider, bucket: target.bucket, reason: rest.reason });
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
    const cell = cellOf(byStatus, status, () =>
      this.requests.create({ client, profile: request.chain.name, status: String(status) }),
    );
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
        labels,
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

/** The cell kept under `key`, created with its labels on first use: labels are built once per series, not per event. */
function cellOf<Key>(cells: Map<Key, CounterCell>, key: Key, create: () => CounterCell): CounterCell {
  let cell = cells.get(key);
  if (!cell) {
    cell = create();
    cells.set(key, cell);
  }
  return cell;
}
