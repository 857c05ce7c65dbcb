import { saveApiKeyBucket } from '../auth/api-key-bucket.js';
import { everyBucket } from '../auth/bucket-auth-status.js';
import type { BucketAuthStatus, TokenManager, TokenStore } from '../auth/index.js';
import { bucketKey, type Clock, type ProviderName } from '../core/types.js';
import type { StatisticsStore } from '../state/statistics.js';

/** One bucket as `/auth/{provider}/status` shows it: the store's status plus the seeds' token fields. Never a token. */
export interface BucketTokenStatus extends BucketAuthStatus {
  /** A request would be served: the token is valid, or expired with a refresh token to renew it. */
  authenticated: boolean;
  /** Seconds until the access token expires (0 once past); null when the set has no expiry. */
  expires_in: number | null;
  /** Unix seconds; null when the set has no expiry. */
  expires_at: number | null;
  scopes: string[];
  /** Successful refreshes counted in this server's statistics. */
  refresh_count: number;
  /** The running server refreshes this bucket before it expires. */
  auto_refresh: boolean;
}

/** `/auth/{provider}/health`: whether the provider's buckets can serve, and which need a person. */
export interface ProviderAuthHealth {
  provider: ProviderName;
  /** `ok`: every bucket authenticated; `degraded`: some; `unavailable`: none (or no bucket at all). */
  status: 'ok' | 'degraded' | 'unavailable';
  buckets: number;
  authenticated: number;
  needs_login: string[];
  unreadable: string[];
  /** Buckets whose token expires within the refresh-ahead window and has not been renewed yet. */
  expiring: string[];
  auto_refresh: boolean;
}

/**
 * `/auth/{provider}/stats`: the provider's logins at a glance (the seed's "token statistics").
 * Counts only, never a token or a bucket's secret.
 */
export interface ProviderAuthStatistics {
  provider: ProviderName;
  generated_at: string;
  /** Stored logins and keys for the provider. */
  buckets: number;
  /** Logins a request would be served with now (valid, or expired with a refresh token). */
  active: number;
  /** Active logins whose access token expires within the refresh-ahead window. */
  expiring_soon: number;
  /** The window `expiring_soon` counts, in seconds. */
  expiring_window_seconds: number;
  needs_login: number;
  /** Successful refreshes (the bucket statistics, kept across restarts). */
  refreshes: number;
  /** Refreshes the provider refused or that failed, since this server started. */
  refresh_failures: number;
  /** The same failures by reason (`invalid_grant`, `network`, ...). */
  refresh_failures_by_reason: Record<string, number>;
}

/** Token administration behind `/auth/{provider}/...`; implemented over the token manager and store. */
export interface AuthAdministration {
  status(provider: ProviderName, bucket: string | undefined): Promise<BucketTokenStatus[]>;
  refresh(provider: ProviderName, bucket: string): Promise<{ refreshed: boolean; expiresAt: number | undefined }>;
  revoke(provider: ProviderName, bucket: string): Promise<boolean>;
  health(provider: ProviderName): Promise<ProviderAuthHealth>;
  statistics(provider: ProviderName): Promise<ProviderAuthStatistics>;
  /** Stores an API-key bucket by the name of its variable (as `auth PROVIDER key BUCKET --env VAR`). */
  addKeyBucket(provider: ProviderName, bucket: string, variable: string | undefined): Promise<{ variableSet: boolean }>;
}

export interface AuthAdministrationOptions {
  tokens: TokenManager;
  store: TokenStore;
  statistics: StatisticsStore;
  clock: Clock;
  /** Whether the server's proactive refresh runs (and for which providers: OAuth enabled ones). */
  autoRefresh: (provider: ProviderName) => boolean;
  aheadSeconds: number;
  /** The server's environment: whether a key bucket's variable is set where it runs (never its value). */
  environment?: NodeJS.ProcessEnv;
}

/** The token routes' view of the token manager, store and statistics. */
export function createAuthAdministration(options: AuthAdministrationOptions): AuthAdministration {
  const { tokens, store, statistics, clock } = options;
  // Failures are not in the bucket statistics (they count successes only), so they are counted here.
  const failures = new Map<ProviderName, Map<string, number>>();
  tokens.onRefreshFailure((provider, _bucket, reason) => {
    const byReason = failures.get(provider) ?? new Map<string, number>();
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    failures.set(provider, byReason);
  });
  const status = async (provider: ProviderName, bucket: string | undefined): Promise<BucketTokenStatus[]> => {
    const all = await tokens.describe(provider);
    const selected =
      bucket === undefined
        ? all
        : all
            .filter((entry) => entry.bucket === bucket || entry.bucket === everyBucket)
            // An unreadable folder makes the named bucket unreadable too.
            .map((entry) => ({ ...entry, bucket }));
    const counts = statistics.snapshot();
    const nowSeconds = Math.floor(clock.now() / 1000);
    return selected.map((entry) => {
      const renewable = entry.kind === 'oauth' && entry.hasRefreshToken;
      return {
        ...entry,
        authenticated: entry.status === 'ok' || (entry.status === 'expired' && renewable),
        expires_in: entry.expiresAt === undefined ? null : Math.max(0, entry.expiresAt - nowSeconds),
        expires_at: entry.expiresAt ?? null,
        scopes: entry.scope === undefined ? [] : entry.scope.split(/\s+/).filter(Boolean),
        refresh_count: counts[bucketKey(provider, entry.bucket)]?.refreshes ?? 0,
        auto_refresh:
          renewable && (entry.status === 'ok' || entry.status === 'expired') && options.autoRefresh(provider),
      };
    });
  };
  return {
    status,
    async refresh(provider, bucket) {
      const current = await tokens.getCredential(provider, bucket);
      if (current.kind !== 'oauth') return { refreshed: false, expiresAt: undefined };
      await tokens.refreshAfterUnauthorized(provider, bucket, current.accessToken);
      const refreshed = (await tokens.describe(provider)).find((entry) => entry.bucket === bucket);
      return { refreshed: true, expiresAt: refreshed?.expiresAt };
    },
    revoke: (provider, bucket) => store.delete(provider, bucket),
    async addKeyBucket(provider, bucket, variable) {
      await saveApiKeyBucket(store, provider, bucket, variable);
      return { variableSet: Boolean(variable && options.environment?.[variable]) };
    },
    async health(provider) {
      const buckets = await status(provider, undefined);
      const authenticated = buckets.filter((entry) => entry.authenticated).length;
      const windowEnd = Math.floor(clock.now() / 1000) + options.aheadSeconds;
      return {
        provider,
        status: authenticated === 0 ? 'unavailable' : authenticated === buckets.length ? 'ok' : 'degraded',
        buckets: buckets.length,
        authenticated,
        needs_login: buckets
          .filter((entry) => entry.status === 'needs-login' || entry.status === 'missing-key')
          .map((entry) => entry.bucket),
        unreadable: buckets.filter((entry) => entry.status === 'unreadable').map((entry) => entry.bucket),
        expiring: buckets
          .filter((entry) => entry.authenticated && entry.expires_at !== null && entry.expires_at <= windowEnd)
          .map((entry) => entry.bucket),
        auto_refresh: options.autoRefresh(provider),
      };
    },
    async statistics(provider) {
      const buckets = await status(provider, undefined);
      const windowEnd = Math.floor(clock.now() / 1000) + options.aheadSeconds;
      const active = buckets.filter((entry) => entry.authenticated);
      const byReason = Object.fromEntries(failures.get(provider) ?? []);
      return {
        provider,
        generated_at: new Date(clock.now()).toISOString(),
        buckets: buckets.length,
        active: active.length,
        expiring_soon: active.filter((entry) => entry.expires_at !== null && entry.expires_at <= windowEnd).length,
        expiring_window_seconds: options.aheadSeconds,
        needs_login: buckets.filter((entry) => entry.status === 'needs-login' || entry.status === 'missing-key').length,
        refreshes: buckets.reduce((sum, entry) => sum + entry.refresh_count, 0),
        refresh_failures: Object.values(byReason).reduce((sum, count) => sum + count, 0),
        refresh_failures_by_reason: byReason,
      };
    },
  };
}
