import type { Registry } from 'prom-client';
import { currentWindow } from '../core/quota.js';
import type { BucketKey, Clock, ProviderName } from '../core/types.js';
import { type BucketStateStore, effectiveState } from '../state/bucket-state-store.js';
import type { QuotaStore } from '../state/quota-store.js';

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

const bucketStates = ['ready', 'cooling', 'exhausted', 'resting', 'needs-login'] as const;

type Sample<Label extends string> = [labels: Record<Label, string>, value: number];

/** One gauge family, every one of its series read afresh from `read` at each scrape. */
interface ScrapeGauge<Label extends string> {
  name: string;
  help: string;
  labelNames: readonly Label[];
  read(sources: MetricsSources): Iterable<Sample<Label>> | Promise<Iterable<Sample<Label>>>;
}

const gauges: ScrapeGauge<string>[] = [
  {
    name: 'switchyard_bucket_state',
    help:
      'The routing state of each bucket: 1 for its current state (ready, ' +
      'cooling, exhausted, resting, needs-login), 0 for the others.',
    labelNames: ['provider', 'bucket', 'state'],
    async read(sources) {
      const samples: Sample<'provider' | 'bucket' | 'state'>[] = [];
      for (const { provider, bucket, state } of await currentStates(sources))
        for (const candidate of bucketStates)
          samples.push([{ provider, bucket, state: candidate }, candidate === state.status ? 1 : 0]);
      return samples;
    },
  },
  {
    name: 'switchyard_bucket_available_at_timestamp_seconds',
    help:
      'When a cooling, exhausted or resting bucket may be used again (Unix seconds); 0 ' +
      'when it is ready or waits for a login.',
    labelNames: ['provider', 'bucket'],
    async read(sources) {
      return (await currentStates(sources)).map(({ provider, bucket, state }) => {
        const restingUntil = state.status === 'ready' || state.status === 'needs-login' ? undefined : state.until;
        return [{ provider, bucket }, restingUntil === undefined ? 0 : restingUntil / 1000];
      });
    },
  },
  {
    name: 'switchyard_token_expiry_timestamp_seconds',
    help: 'When each stored OAuth access token expires (Unix seconds).',
    labelNames: ['provider', 'bucket'],
    async read(sources) {
      return (await sources.tokenExpiries()).map(({ provider, bucket, expiresAt }) => [
        { provider, bucket },
        expiresAt,
      ]);
    },
  },
  // Each bucket's usage windows, named as the provider names them (`5h`, `7d`, `7d_opus`).
  {
    name: 'switchyard_bucket_quota_used_ratio',
    help: "The share of each bucket's usage window used (0-1), as the provider's last answer said.",
    labelNames: ['provider', 'bucket', 'window'],
    *read(sources) {
      const now = sources.clock.now();
      for (const [key, quota] of sources.quota?.entries() ?? []) {
        const [provider, bucket] = splitKey(key);
        for (const [name, stored] of Object.entries(quota.windows)) {
          const window = currentWindow(stored, now);
          const used = window.used ?? (window.status === 'rejected' ? 1 : undefined);
          if (used !== undefined) yield [{ provider, bucket, window: name }, used];
        }
      }
    },
  },
  {
    name: 'switchyard_bucket_quota_reset_timestamp_seconds',
    help: "When each bucket's usage window resets (Unix seconds), as the provider's last answer said.",
    labelNames: ['provider', 'bucket', 'window'],
    *read(sources) {
      for (const [key, quota] of sources.quota?.entries() ?? []) {
        const [provider, bucket] = splitKey(key);
        for (const [name, window] of Object.entries(quota.windows))
          if (window.resetsAt !== undefined) yield [{ provider, bucket, window: name }, window.resetsAt / 1000];
      }
    },
  },
];

/** Registers the gauges read from the stores when scraped: bucket states, resets, token expiry and usage windows. */
export function publishScrapeGauges(
  promClient: typeof import('prom-client'),
  registry: Registry,
  sources: MetricsSources,
): void {
  for (const gauge of gauges)
    new promClient.Gauge({
      name: gauge.name,
      help: gauge.help,
      labelNames: gauge.labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        for (const [labels, value] of await gauge.read(sources)) this.set(labels, value);
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
