import type { ServerContext } from './server-context.js';

/** One usage window of a bucket as the dashboard's Quota view draws it (times in ISO 8601). */
export interface QuotaWindowView {
  name: string;
  /** Used share 0-1, or null when the provider gave only a status. */
  used: number | null;
  status: string | null;
  family: string | null;
  resetsAt: string | null;
  seenAt: string;
}

export interface QuotaView {
  generatedAt: string;
  buckets: { key: string; binding: string | null; windows: QuotaWindowView[] }[];
}

/** `/dashboard/data/quota`: every bucket's usage windows, as the providers' answers last said them. */
export function quotaSnapshot(server: ServerContext): QuotaView {
  const buckets: QuotaView['buckets'] = [];
  for (const [key, quota] of server.quota?.entries() ?? []) {
    const windows = Object.entries(quota.windows).map(([name, window]) => ({
      name,
      used: window.used ?? null,
      status: window.status ?? null,
      family: window.family ?? null,
      resetsAt: window.resetsAt === undefined ? null : new Date(window.resetsAt).toISOString(),
      seenAt: new Date(window.seenAt).toISOString(),
    }));
    buckets.push({ key, binding: quota.representativeClaim ?? null, windows });
  }
  buckets.sort((left, right) => left.key.localeCompare(right.key));
  return { generatedAt: new Date(server.clock.now()).toISOString(), buckets };
}
