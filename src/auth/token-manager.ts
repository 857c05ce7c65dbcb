import type { Clock, Credential, ProviderName } from '../core/types.js';
import type { ProviderSettings } from '../providers/types.js';
import type { BucketAuthStatus } from './bucket-auth-status.js';
import { describeBuckets } from './bucket-auth-status.js';
import { CredentialCache } from './credential-cache.js';
import { NeedsLoginError } from './needs-login-error.js';
import { RefreshFailedError } from './refresh-failed-error.js';
import { createInProcessRefreshLock, type RefreshLock } from './refresh-lock.js';
import { defaultRefreshRetry, type RefreshRetryOptions, requestTokenRefresh } from './refresh-request.js';
import { refreshUnderLock, usableTokens } from './refresh-under-lock.js';
import { apiKeyCredential, apiKeyFrom, oauthCredential } from './resolve-credential.js';
import { SingleFlight } from './single-flight.js';
import { isDueForRefresh, isExpired } from './token-expiry.js';
import { isApiKeyReference, type OAuthTokenSet, type StoredCredential } from './token-file.js';
import type { TokenStore } from './token-store.js';

export interface TokenManagerOptions {
  store: TokenStore;
  /** Provider settings after config.yaml overrides (`oauth.tokenUrl`, `clientId`, `tokenRequestEncoding`). */
  settings: (provider: ProviderName) => ProviderSettings;
  clock: Clock;
  /** Where API-key buckets' variables are read (default process.env). */
  environment?: NodeJS.ProcessEnv;
  /** Refresh this long before expiry (default 300). */
  refreshAheadSeconds?: number;
  /** Default: the store's own lock (file store: across processes), else an in-process one. */
  lock?: RefreshLock;
  fetch?: typeof fetch;
  /** Retries of one refresh on network errors, 429 and 5xx (default 2, from 250 ms). */
  retry?: Partial<RefreshRetryOptions>;
  /** Per token request (default 15 s). */
  requestTimeoutMs?: number;
  /** How stale the in-memory view of the store may get before a background re-read (default 2 s). */
  rereadIntervalMs?: number;
  /**
   * The same for a bucket with no stored login (default: rereadIntervalMs). A server hears of a
   * new login at once (server/login-recheck.ts), so it reads absent ones far less often: each
   * re-check of a bucket needing login re-read its missing file, 10,000 of them per round of
   * re-checks on a 10,000-bucket chain without logins, most of the work of those rounds.
   */
  absentRereadIntervalMs?: number;
}

/** After a failed refresh, how long to serve (or fail) without calling the token endpoint again. */
const failureBackoffMs = 30_000;

export interface TokenManager {
  /**
   * The credential for a bucket, from memory; refreshes first when the token is expired or due
   * and a refresh token exists. Throws NeedsLoginError (no file, marked, key variable missing)
   * or RefreshFailedError (token expired and the endpoint failing).
   */
  getCredential(provider: ProviderName, bucket: string): Promise<Credential>;
  /**
   * The same credential when memory has it and nothing is due: no refresh, no store read, no
   * promise (the request hot path). Undefined when getCredential() has work to do or will throw.
   */
  readyCredential(provider: ProviderName, bucket: string): Credential | undefined;
  /**
   * After an upstream 401 with `usedAccessToken`: one refresh per bucket however many callers;
   * when the store already holds a different access token, that one, without refreshing.
   */
  refreshAfterUnauthorized(provider: ProviderName, bucket: string, usedAccessToken: string): Promise<Credential>;
  /**
   * The proactive refresh of one bucket: refreshes when the stored set is due (read fresh from
   * the store, not from memory), else does nothing. `backing-off`: a recent refresh failed for a
   * passing reason and the endpoint is rested. Throws NeedsLoginError and RefreshFailedError.
   */
  refreshIfDue(provider: ProviderName, bucket: string): Promise<'refreshed-or-current' | 'backing-off'>;
  /**
   * Re-reads a bucket from the store now (a login, an import or another process changed it) and
   * says whether it can serve without a new login: a key whose variable is set, or a login not
   * marked needs_login that is unexpired or can be refreshed. An unreadable entry cannot.
   */
  reloadLogin(provider: ProviderName, bucket: string): Promise<boolean>;
  /** Persists needs_login on an OAuth bucket (API-key buckets have no login to mark: a no-op). */
  markNeedsLogin(provider: ProviderName, bucket: string, reason: string): Promise<void>;
  /** Called after every successful token refresh (statistics count them). */
  onRefresh(listener: (provider: ProviderName, bucket: string) => void): void;
  /** Called after a refresh the token endpoint refused or that could not reach it (metrics count them). */
  onRefreshFailure(listener: (provider: ProviderName, bucket: string, reason: string) => void): void;
  /** Every bucket of a provider with its status, for `auth status` and `/auth/{provider}/status`. */
  describe(provider: ProviderName): Promise<BucketAuthStatus[]>;
}

interface RefreshFailure {
  until: number;
  error: RefreshFailedError;
}

/** Builds the token manager over a store; see TokenManagerOptions for the defaults. */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  return new StoreTokenManager(options);
}

class StoreTokenManager implements TokenManager {
  private readonly store: TokenStore;
  private readonly clock: Clock;
  private readonly environment: NodeJS.ProcessEnv;
  private readonly aheadSeconds: number;
  private readonly lock: RefreshLock;
  private readonly fetch: typeof fetch;
  private readonly retry: RefreshRetryOptions;
  private readonly timeoutMs: number;
  private readonly backoffMs: number;
  private readonly cache: CredentialCache;
  private readonly flights = new SingleFlight<StoredCredential>();
  private readonly failures = new Map<string, RefreshFailure>();
  /** Refresh tokens seen rejected (and the error code): a second line of defence beside the persisted needs_login. */
  private readonly rejected = new Map<string, string>();
  private readonly listeners: ((provider: ProviderName, bucket: string) => void)[] = [];
  private readonly failureListeners: ((provider: ProviderName, bucket: string, reason: string) => void)[] = [];

  constructor(private readonly options: TokenManagerOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.environment = options.environment ?? process.env;
    this.aheadSeconds = options.refreshAheadSeconds ?? 300;
    this.lock = options.lock ?? options.store.refreshLock ?? createInProcessRefreshLock();
    this.fetch = options.fetch ?? globalThis.fetch;
    this.retry = { ...defaultRefreshRetry, ...options.retry };
    this.timeoutMs = options.requestTimeoutMs ?? 15_000;
    this.backoffMs = failureBackoffMs;
    const rereadMs = options.rereadIntervalMs ?? 2_000;
    this.cache = new CredentialCache(
      options.store,
      options.clock,
      rereadMs,
      options.absentRereadIntervalMs ?? rereadMs,
    );
  }

  readyCredential(provider: ProviderName, bucket: string): Credential | undefined {
    const stored = this.cache.peek(provider, bucket);
    if (stored === undefined || stored === null) return undefined;
    if (isApiKeyReference(stored)) {
      const apiKey = apiKeyFrom(stored, this.environment);
      return apiKey ? { kind: 'api-key', apiKey } : undefined;
    }
    if (stored.needs_login || isDueForRefresh(stored, this.clock.now(), this.aheadSeconds)) return undefined;
    return oauthCredential(stored);
  }

  async getCredential(provider: ProviderName, bucket: string): Promise<Credential> {
    const stored = usableTokens(provider, bucket, await this.cache.get(provider, bucket));
    if (isApiKeyReference(stored)) return apiKeyCredential(provider, bucket, stored, this.environment);
    const now = this.clock.now();
    if (!isDueForRefresh(stored, now, this.aheadSeconds)) return oauthCredential(stored);
    if (stored.refresh_token === undefined) {
      if (isExpired(stored, now)) throw new NeedsLoginError(provider, bucket, 'no-refresh-token');
      return oauthCredential(stored);
    }
    const failure = this.failures.get(`${provider}/${bucket}`);
    if (failure && now < failure.until && !isExpired(stored, now)) return oauthCredential(stored);
    try {
      const refreshed = await this.refresh(provider, bucket, (current) =>
        isDueForRefresh(current, this.clock.now(), this.aheadSeconds),
      );
      return this.toCredential(provider, bucket, refreshed);
    } catch (error) {
      // A proactive refresh that failed for a passing reason must not fail a still-valid token.
      if (error instanceof RefreshFailedError && !isExpired(stored, this.clock.now())) return oauthCredential(stored);
      throw error;
    }
  }

  async refreshAfterUnauthorized(provider: ProviderName, bucket: string, usedAccessToken: string): Promise<Credential> {
    const refreshed = await this.refresh(provider, bucket, (current) => current.access_token === usedAccessToken);
    if (isApiKeyReference(refreshed)) {
      const credential = apiKeyCredential(provider, bucket, refreshed, this.environment);
      if (credential.kind === 'api-key' && credential.apiKey === usedAccessToken) {
        throw new NeedsLoginError(provider, bucket, 'key-rejected', { variable: refreshed.env });
      }
      return credential;
    }
    return oauthCredential(refreshed);
  }

  async refreshIfDue(provider: ProviderName, bucket: string): Promise<'refreshed-or-current' | 'backing-off'> {
    const failure = this.failures.get(`${provider}/${bucket}`);
    if (failure && this.clock.now() < failure.until) return 'backing-off';
    await this.refresh(
      provider,
      bucket,
      (current) => current.refresh_token !== undefined && isDueForRefresh(current, this.clock.now(), this.aheadSeconds),
    );
    return 'refreshed-or-current';
  }

  async reloadLogin(provider: ProviderName, bucket: string): Promise<boolean> {
    let stored: StoredCredential | null;
    try {
      stored = await this.cache.reload(provider, bucket, true);
    } catch {
      return false;
    }
    if (stored === null) return false;
    if (isApiKeyReference(stored)) return apiKeyFrom(stored, this.environment) !== undefined;
    if (stored.needs_login) return false;
    return stored.refresh_token !== undefined || !isExpired(stored, this.clock.now());
  }

  async markNeedsLogin(provider: ProviderName, bucket: string, reason: string): Promise<void> {
    await this.lock.withLock(provider, bucket, async () => {
      const stored = await this.store.read(provider, bucket);
      if (stored === null || isApiKeyReference(stored) || stored.needs_login) return;
      const marked: OAuthTokenSet = { ...stored, needs_login: { reason, since: Math.floor(this.clock.now() / 1000) } };
      await this.store.write(provider, bucket, marked);
      this.cache.set(provider, bucket, marked);
    });
  }

  onRefresh(listener: (provider: ProviderName, bucket: string) => void): void {
    this.listeners.push(listener);
  }

  onRefreshFailure(listener: (provider: ProviderName, bucket: string, reason: string) => void): void {
    this.failureListeners.push(listener);
  }

  /** Tells the failure listeners about a refresh attempt that failed (not about a remembered failure). */
  private async reportFailure<T>(provider: ProviderName, bucket: string, attempt: Promise<T>): Promise<T> {
    try {
      return await attempt;
    } catch (error) {
      const reason =
        error instanceof NeedsLoginError
          ? (error.detail ?? error.reason)
          : error instanceof RefreshFailedError
            ? (error.errorCode ?? (error.status === undefined ? 'network' : `http_${error.status}`))
            : 'error';
      for (const listener of this.failureListeners) {
        try {
          listener(provider, bucket, reason);
        } catch {
          // A metrics listener must never change how a refresh failure is handled.
        }
      }
      throw error;
    }
  }

  describe(provider: ProviderName): Promise<BucketAuthStatus[]> {
    return describeBuckets(this.store, provider, this.environment, this.clock.now());
  }

  /**
   * The single-flight refresh of one bucket. `stillNeedsRefresh` is asked of the freshest
   * stored set (before and again inside the lock): false means someone else refreshed.
   */
  private refresh(
    provider: ProviderName,
    bucket: string,
    stillNeedsRefresh: (stored: OAuthTokenSet) => boolean,
  ): Promise<StoredCredential> {
    const key = `${provider}/${bucket}`;
    return this.flights.run(key, async () => {
      try {
        // Cheap check without the lock: most late callers find the work already done.
        const current = usableTokens(provider, bucket, await this.store.read(provider, bucket));
        if (isApiKeyReference(current) || !stillNeedsRefresh(current)) {
          this.cache.set(provider, bucket, current);
          return current;
        }
        const failure = this.failures.get(key);
        if (failure && this.clock.now() < failure.until) throw failure.error;
        const result = await this.reportFailure(
          provider,
          bucket,
          refreshUnderLock({
            provider,
            bucket,
            store: this.store,
            lock: this.lock,
            stillNeedsRefresh,
            exchange: (refreshToken) =>
              requestTokenRefresh({
                provider,
                bucket,
                oauth: this.options.settings(provider).oauth,
                refreshToken,
                fetch: this.fetch,
                retry: this.retry,
                timeoutMs: this.timeoutMs,
              }),
            rejected: this.rejected,
            now: () => this.clock.now(),
          }),
        );
        this.failures.delete(key);
        this.cache.set(provider, bucket, result.credential);
        if (result.refreshed) this.notifyRefresh(provider, bucket);
        return result.credential;
      } catch (error) {
        if (error instanceof RefreshFailedError)
          this.failures.set(key, { until: this.clock.now() + this.backoffMs, error });
        // The store may now say needs_login (or be gone): let the hot path see it at once.
        if (error instanceof NeedsLoginError) {
          const latest = await this.store.read(provider, bucket).catch(() => undefined);
          if (latest !== undefined) this.cache.set(provider, bucket, latest);
        }
        throw error;
      }
    });
  }

  private notifyRefresh(provider: ProviderName, bucket: string): void {
    for (const listener of this.listeners) {
      try {
        listener(provider, bucket);
      } catch {
        // A statistics listener must never turn a good refresh into a failed request.
      }
    }
  }

  private toCredential(provider: ProviderName, bucket: string, stored: StoredCredential): Credential {
    return isApiKeyReference(stored)
      ? apiKeyCredential(provider, bucket, stored, this.environment)
      : oauthCredential(stored);
  }
}
