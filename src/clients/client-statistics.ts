import type { Clock } from '../core/types.js';
import type { ProxyRequest } from '../router/proxy-request.js';
import type { RefusedRequest, RequestObserver } from '../router/router-observer.js';

/** What one client did since the server started. */
export interface ClientStatistics {
  name: string;
  /** Requests routed to a profile. */
  requests: number;
  /** Routed requests answered 2xx. */
  successes: number;
  /** Routed requests answered otherwise (including all buckets exhausted). */
  failures: number;
  /** Requests switchyard refused itself: forbidden profile, over the rate limit, bad body. */
  refused: number;
  forbidden: number;
  rateLimited: number;
  inputTokens: number;
  outputTokens: number;
  /** Unix ms of the last request. */
  lastUsed: number | null;
  /** Routed requests per profile. */
  profiles: Record<string, number>;
}

function emptyClientStatistics(name: string): ClientStatistics {
  return {
    name,
    requests: 0,
    successes: 0,
    failures: 0,
    refused: 0,
    forbidden: 0,
    rateLimited: 0,
    inputTokens: 0,
    outputTokens: 0,
    lastUsed: null,
    profiles: {},
  };
}

/** Per-client counts in memory, fed by the router's observer hooks; since the server started. */
export class ClientStatisticsStore implements RequestObserver {
  private readonly clients = new Map<string, ClientStatistics>();

  /** `names` are listed even before their first request. */
  constructor(
    private readonly clock: Clock,
    names: readonly string[],
  ) {
    for (const name of names) this.clients.set(name, emptyClientStatistics(name));
  }

  attemptFinished(): void {}

  failover(): void {}

  firstByte(): void {}

  requestFinished(request: ProxyRequest): void {
    const record = request.record;
    if (record.client === undefined) return;
    const statistics = this.entry(record.client);
    statistics.requests += 1;
    const status = request.response.headersSent ? request.response.statusCode : 499;
    if (status >= 200 && status < 300) statistics.successes += 1;
    else statistics.failures += 1;
    statistics.inputTokens += record.inputTokens;
    statistics.outputTokens += record.outputTokens;
    statistics.lastUsed = this.clock.now();
    const profile = request.chain.name;
    statistics.profiles[profile] = (statistics.profiles[profile] ?? 0) + 1;
  }

  requestRefused(refused: RefusedRequest): void {
    if (refused.client === undefined) return;
    const statistics = this.entry(refused.client);
    statistics.refused += 1;
    if (refused.code === 'profile_not_allowed') statistics.forbidden += 1;
    if (refused.code === 'client_rate_limited') statistics.rateLimited += 1;
    statistics.lastUsed = this.clock.now();
  }

  /** A copy of every client's counts, in the order clients were configured. */
  snapshot(): ClientStatistics[] {
    return [...this.clients.values()].map((statistics) => ({ ...statistics, profiles: { ...statistics.profiles } }));
  }

  private entry(name: string): ClientStatistics {
    let statistics = this.clients.get(name);
    if (!statistics) {
      statistics = emptyClientStatistics(name);
      this.clients.set(name, statistics);
    }
    return statistics;
  }
}
