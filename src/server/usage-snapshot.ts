import type { ProviderName } from '../core/types.js';
import { type PricedUsageRow, priceUsage } from '../dashboard/usage-cost.js';
import type { ServerContext } from './server-context.js';

/** One line of a usage table: tokens and estimated cost of a bucket, a client or a model. */
export interface UsageLine {
  name: string;
  requests: number;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  /** US dollars at the provider's API prices; null when a model's price is unknown. */
  cost: number | null;
  /** Whether some of these tokens had no known price (the cost then counts only the priced ones). */
  unpriced: boolean;
}

export interface BucketUsageLine extends UsageLine {
  /** `subscription`: a login (OAuth), whose cost is what the traffic would have cost on the API. */
  billing: 'subscription' | 'api' | 'unknown';
}

export interface UsageView {
  generatedAt: string;
  /** When counting began: kept across restarts (usage.json, or Redis in cluster mode). */
  since: string;
  buckets: BucketUsageLine[];
  clients: UsageLine[];
  models: UsageLine[];
}

function group(rows: readonly PricedUsageRow[], nameOf: (row: PricedUsageRow) => string): UsageLine[] {
  const lines = new Map<string, UsageLine>();
  for (const row of rows) {
    const name = nameOf(row);
    let line = lines.get(name);
    if (line === undefined) {
      line = {
        name,
        requests: 0,
        inputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 0,
        cost: null,
        unpriced: false,
      };
      lines.set(name, line);
    }
    line.requests += row.requests;
    line.inputTokens += row.inputTokens;
    line.cacheReadTokens += row.cacheReadTokens;
    line.cacheWriteTokens += row.cacheWriteTokens;
    line.outputTokens += row.outputTokens;
    if (row.cost === null) line.unpriced = true;
    else line.cost = (line.cost ?? 0) + row.cost;
  }
  return [...lines.values()].sort((left, right) => left.name.localeCompare(right.name));
}

/** `/dashboard/data/usage`: tokens and estimated cost per bucket, client and model since counting began. */
export async function usageSnapshot(server: ServerContext): Promise<UsageView> {
  const counted = (await server.dashboard?.usageView()) ?? { since: server.startedAt, rows: [] };
  const rows = await priceUsage(counted.rows);
  const kinds = new Map<string, 'oauth' | 'api-key'>();
  const providers = new Set(rows.map((row) => row.provider as ProviderName));
  await Promise.all(
    [...providers].map(async (provider) => {
      for (const entry of await server.auth.status(provider, undefined).catch(() => []))
        kinds.set(`${provider}/${entry.bucket}`, entry.kind);
    }),
  );
  const buckets = group(rows, (row) => row.bucket).map((line) => {
    const kind = kinds.get(line.name);
    const billing = kind === 'oauth' ? 'subscription' : kind === 'api-key' ? 'api' : 'unknown';
    return { ...line, billing } as BucketUsageLine;
  });
  return {
    generatedAt: new Date(server.clock.now()).toISOString(),
    since: new Date(counted.since).toISOString(),
    buckets,
    clients: group(rows, (row) => row.client),
    models: group(rows, (row) => row.model),
  };
}
