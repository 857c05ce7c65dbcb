import type { Target } from '../profiles/types.js';
import type { ProxyRequest } from '../router/proxy-request.js';
import type { RefusedRequest, RequestObserver } from '../router/router-observer.js';
import { targetModel } from '../router/target-model.js';
import type { CallRecord } from '../state/statistics.js';
import type { BodyCapture } from './body-capture.js';
import type { RecentRequests } from './recent-requests.js';
import type { TimeSeries } from './time-series.js';
import type { UsageLedger } from './usage-ledger.js';

/** Requests without a client key count under this name, as in the metrics. */
const anonymousClient = 'anonymous';

/**
 * Feeds the dashboard's history from the router's events: the time series (per bucket from each
 * upstream call and failover, per client from each finished or refused request) and the recent
 * requests log. Cheap on the hot path: counters and one object per finished request.
 */
export class DashboardObserver implements RequestObserver {
  constructor(
    private readonly series: TimeSeries,
    private readonly recent: RecentRequests,
    private readonly usage: UsageLedger,
    /** Set when `dashboard.captureBodies` is on. */
    private readonly bodies?: BodyCapture,
  ) {}

  attemptFinished(request: ProxyRequest, target: Target, call: CallRecord): void {
    if (call.inputTokens || call.outputTokens)
      this.usage.add(
        {
          bucket: target.key,
          provider: target.provider,
          client: request.record.client ?? anonymousClient,
          model: targetModel(target, request.clientModel) ?? 'unknown',
        },
        {
          input: call.inputTokens ?? 0,
          cacheRead: call.cachedInputTokens ?? 0,
          cacheWrite: call.cacheWriteTokens ?? 0,
          output: call.outputTokens ?? 0,
        },
      );
    const failed = !call.cancelled && (call.failed || call.timedOut || call.status < 200 || call.status >= 300);
    this.series.add('bucket', target.key, {
      requests: 1,
      tokens: (call.inputTokens ?? 0) + (call.outputTokens ?? 0),
      errors: failed ? 1 : 0,
    });
  }

  failover(_request: ProxyRequest, target: Target): void {
    this.series.add('bucket', target.key, { failovers: 1 });
  }

  firstByte(request: ProxyRequest): void {
    this.bodies?.watch(request);
  }

  requestFinished(request: ProxyRequest): void {
    const record = request.record;
    const status = request.response.headersSent ? request.response.statusCode : 499;
    const client = record.client ?? anonymousClient;
    this.series.add('client', client, {
      requests: 1,
      tokens: record.inputTokens + record.outputTokens,
      failovers: Math.max(0, record.trail.length - 1),
      errors: status >= 200 && status < 300 ? 0 : 1,
    });
    const now = performance.now();
    const id = this.recent.add({
      client: record.client ?? null,
      profile: request.chain.name,
      model: request.clientModel ?? null,
      format: request.format,
      path: request.path,
      stream: request.stream,
      attempts: record.trail,
      bucket: record.servedBy?.key ?? null,
      status,
      code: null,
      inputTokens: record.inputTokens,
      outputTokens: record.outputTokens,
      firstByteMs: record.firstByteAt === undefined ? null : Math.round(record.firstByteAt - record.startedAt),
      durationMs: Math.round(now - record.startedAt),
    });
    if (this.bodies !== undefined) {
      this.bodies.keep(id, request);
      this.recent.markBodies(id);
    }
  }

  requestRefused(refused: RefusedRequest): void {
    this.series.add('client', refused.client ?? anonymousClient, { requests: 1, errors: 1 });
    this.recent.add({
      client: refused.client ?? null,
      profile: refused.profile ?? null,
      model: null,
      format: refused.format,
      path: refused.path,
      stream: false,
      attempts: [],
      bucket: null,
      status: refused.status,
      code: refused.code,
      inputTokens: 0,
      outputTokens: 0,
      firstByteMs: null,
      durationMs: Math.round(performance.now() - refused.startedAt),
    });
  }
}
