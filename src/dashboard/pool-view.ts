import type { BucketAuthStatus } from '../auth/bucket-auth-status.js';
import type { BucketKey, BucketState, BucketStatus, ProviderName } from '../core/types.js';
import type { Chain, ProfileSource } from '../profiles/types.js';
import { effectiveState } from '../state/bucket-state-store.js';
import { type BucketStatistics, emptyStatistics } from '../state/statistics.js';

/** One bucket as the dashboard and `stats buckets --watch` show it. */
export interface BucketView {
  key: string;
  provider: string;
  bucket: string;
  state: BucketStatus;
  /** Why it rests or needs login (`429`, `usage_limit_reached`, `no-credentials`...). */
  reason: string | null;
  /** When a cooling, exhausted or resting bucket is usable again (ISO 8601). */
  availableAt: string | null;
  /** The same, as seconds from `generatedAt`, so a page can count down without trusting its own clock. */
  availableInSeconds: number | null;
  requests: number;
  successes: number;
  /** successes / requests, or null before the first request. */
  successRate: number | null;
  inputTokens: number;
  outputTokens: number;
  lastUsed: string | null;
  lastUsedSecondsAgo: number | null;
}

/** A bucket at its place in a profile's chain. */
export interface ChainEntryView extends BucketView {
  position: number;
  /** The model profile the entry comes from (differs from the profile in load balancers). */
  via: string;
  model: string | null;
  /** Whether new requests go here now: the first ready bucket (failover), or every ready one (round robin). */
  takesTraffic: boolean;
}

export interface ProfileView {
  name: string;
  source: ProfileSource;
  active: boolean;
  policy: string | null;
  error: string | null;
  chain: ChainEntryView[];
}

export interface PoolView {
  generatedAt: string;
  profile: string | null;
  profiles: ProfileView[];
  /** Every bucket known, in or out of a profile. */
  buckets: BucketView[];
}

/** One profile as listed: its resolved chain, or why it could not be resolved. */
export interface ListedProfile {
  name: string;
  source: ProfileSource;
  chain?: Chain;
  error?: string;
}

export interface PoolSources {
  now: number;
  activeProfile: string | undefined;
  profiles: ListedProfile[];
  state(key: BucketKey): BucketState | undefined;
  /** Keys of buckets with a routing state, so resting buckets outside every profile are shown too. */
  stateKeys: Iterable<BucketKey>;
  statistics: Record<string, BucketStatistics>;
  /** Stored logins per provider; a bucket missing from its provider's list has none. */
  logins: Map<ProviderName, BucketAuthStatus[]>;
}

/** The whole pool at `now`: each profile's chain in order, and every bucket with its counts. */
export function buildPoolView(sources: PoolSources): PoolView {
  const bucketViews = new Map<string, BucketView>();
  const logins = indexLogins(sources.logins);
  const viewOf = (key: BucketKey): BucketView => {
    let view = bucketViews.get(key);
    if (!view) {
      view = bucketView(key, sources, logins);
      bucketViews.set(key, view);
    }
    return view;
  };
  const profiles = sources.profiles.map((listed): ProfileView => {
    const chain = listed.chain;
    const entries = (chain?.targets ?? []).map(
      (target, index): ChainEntryView => ({
        ...viewOf(target.key),
        position: index + 1,
        via: target.profile,
        model: target.model ?? null,
        takesTraffic: false,
      }),
    );
    const ready = entries.filter((entry) => entry.state === 'ready');
    if (chain?.policy === 'roundrobin') for (const entry of ready) entry.takesTraffic = true;
    else if (ready[0]) ready[0].takesTraffic = true;
    return {
      name: listed.name,
      source: listed.source,
      active: listed.name === sources.activeProfile,
      policy: chain?.policy ?? null,
      error: listed.error ?? null,
      chain: entries,
    };
  });
  for (const key of Object.keys(sources.statistics)) viewOf(key as BucketKey);
  for (const key of sources.stateKeys) viewOf(key);
  const buckets = [...bucketViews.values()].sort((left, right) => left.key.localeCompare(right.key));
  return {
    generatedAt: new Date(sources.now).toISOString(),
    profile: sources.activeProfile ?? null,
    profiles,
    buckets,
  };
}

/** Each provider's logins by bucket name: a search of the list for each bucket was quadratic in a pool of thousands. */
function indexLogins(logins: Map<ProviderName, BucketAuthStatus[]>): Map<ProviderName, Map<string, BucketAuthStatus>> {
  const indexed = new Map<ProviderName, Map<string, BucketAuthStatus>>();
  for (const [provider, entries] of logins) {
    const byBucket = new Map<string, BucketAuthStatus>();
    // The first entry of a name wins, as a search of the list found it.
    for (const entry of entries) if (!byBucket.has(entry.bucket)) byBucket.set(entry.bucket, entry);
    indexed.set(provider, byBucket);
  }
  return indexed;
}

function bucketView(
  key: BucketKey,
  sources: PoolSources,
  logins: Map<ProviderName, Map<string, BucketAuthStatus>>,
): BucketView {
  const slash = key.indexOf('/');
  const provider = key.slice(0, slash) as ProviderName;
  const bucket = key.slice(slash + 1);
  const { now } = sources;
  // Persisted records may lack counters added since they were written.
  const statistics = { ...emptyStatistics(), ...sources.statistics[key] };
  let state = effectiveState(sources.state(key), now);
  if (state.status === 'ready') {
    const missingLogin = loginProblem(logins.get(provider), bucket);
    if (missingLogin !== undefined) state = { status: 'needs-login', reason: missingLogin };
  }
  const restingUntil = state.status === 'ready' || state.status === 'needs-login' ? undefined : state.until;
  return {
    key,
    provider,
    bucket,
    state: state.status,
    reason: state.reason ?? null,
    availableAt: restingUntil === undefined ? null : new Date(restingUntil).toISOString(),
    availableInSeconds: restingUntil === undefined ? null : Math.max(0, Math.ceil((restingUntil - now) / 1000)),
    requests: statistics.requests,
    successes: statistics.successes,
    successRate: statistics.requests === 0 ? null : statistics.successes / statistics.requests,
    inputTokens: statistics.inputTokens,
    outputTokens: statistics.outputTokens,
    lastUsed: statistics.lastUsed === null ? null : new Date(statistics.lastUsed).toISOString(),
    lastUsedSecondsAgo:
      statistics.lastUsed === null ? null : Math.max(0, Math.round((now - statistics.lastUsed) / 1000)),
  };
}

/** Why a bucket cannot be used without someone logging in, from its stored login; undefined when it can. */
function loginProblem(logins: Map<string, BucketAuthStatus> | undefined, bucket: string): string | undefined {
  if (logins === undefined) return undefined;
  const login = logins.get(bucket);
  if (!login) return 'no-credentials';
  if (login.status === 'needs-login') return login.reason ?? 'needs-login';
  if (login.status === 'missing-key') return 'missing-key';
  if (login.status === 'unreadable') return 'unreadable-credentials';
  if (login.status === 'expired' && !login.hasRefreshToken) return 'expired';
  return undefined;
}
