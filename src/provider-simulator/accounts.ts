import { newSecret } from './ids.js';
import type { AccountCredentials, AccountOptions, SimulatorClock, Step } from './types.js';
import type { UsageWindows } from './usage-windows.js';

/** One simulated login: its current credentials and its scripted behaviour. */
export interface Account {
  readonly name: string;
  readonly accountId: string;
  readonly apiKey: string;
  readonly expiresInSeconds: number;
  readonly tokenDelayMs: number;
  accessToken: string;
  refreshToken: string;
  /** Unix milliseconds. */
  expiresAt: number;
  readonly steps: Step[];
  behavior: Step | undefined;
  /** Usage windows metering ok answers, when set. */
  windows?: UsageWindows | undefined;
  /** Prompt prefixes this account has cached (see prompt-cache.ts), made at its first marked request. */
  cachedPrompts?: Set<string>;
}

/** How a presented credential resolved. */
export type Authentication =
  | { status: 'ok'; account: Account; oauth: boolean }
  | { status: 'expired'; account: Account }
  /** A token this account used to have, rotated away by a refresh. */
  | { status: 'revoked'; account: Account }
  | { status: 'unknown' };

/** Accounts and the index from every credential to its account. */
export class AccountRegistry {
  readonly #accounts = new Map<string, Account>();
  readonly #byAccessToken = new Map<string, Account>();
  readonly #byApiKey = new Map<string, Account>();
  readonly #byRefreshToken = new Map<string, Account>();
  // Rotated-away tokens, remembered so that their reuse is attributed to the right account.
  readonly #revokedAccessTokens = new Map<string, Account>();
  readonly #revokedRefreshTokens = new Map<string, Account>();
  // Long-lived inference tokens (Anthropic setup-token): their own expiry, no refresh token.
  readonly #longLived = new Map<string, { account: Account; expiresAt: number }>();
  readonly #clock: SimulatorClock;

  constructor(clock: SimulatorClock) {
    this.#clock = clock;
  }

  /** Creates (or replaces, retiring the old credentials) the account `name`. */
  add(name: string, options: AccountOptions = {}): AccountCredentials {
    if (name.length === 0) throw new TypeError('Expected `name` to be a non-empty account name');
    const previous = this.#accounts.get(name);
    if (previous) {
      this.#retire(previous);
      this.#byApiKey.delete(previous.apiKey);
    }
    const account: Account = {
      name,
      accountId: options.accountId ?? `acct-${name}`,
      apiKey: newSecret('sim-key-'),
      expiresInSeconds: options.expiresInSeconds ?? 3600,
      tokenDelayMs: options.tokenDelayMs ?? 0,
      accessToken: '',
      refreshToken: '',
      expiresAt: 0,
      steps: [],
      behavior: undefined,
    };
    this.#accounts.set(name, account);
    this.#byApiKey.set(account.apiKey, account);
    this.#issueTokens(account);
    return this.credentials(account);
  }

  get(name: string): Account | undefined {
    return this.#accounts.get(name);
  }

  /** The account by name, or a TypeError that names the missing account. */
  require(name: string): Account {
    const account = this.#accounts.get(name);
    if (!account) throw new TypeError(`Unknown simulator account \`${name}\`; call addAccount first`);
    return account;
  }

  names(): string[] {
    return [...this.#accounts.keys()];
  }

  /** Resolves an access token or API key. */
  authenticate(credential: string | undefined): Authentication {
    if (credential === undefined) return { status: 'unknown' };
    const byToken = this.#byAccessToken.get(credential);
    if (byToken) {
      return this.#clock.now() >= byToken.expiresAt
        ? { status: 'expired', account: byToken }
        : { status: 'ok', account: byToken, oauth: true };
    }
    const byKey = this.#byApiKey.get(credential);
    if (byKey) return { status: 'ok', account: byKey, oauth: false };
    const longLived = this.#longLived.get(credential);
    if (longLived) {
      return this.#clock.now() >= longLived.expiresAt
        ? { status: 'expired', account: longLived.account }
        : { status: 'ok', account: longLived.account, oauth: true };
    }
    const revoked = this.#revokedAccessTokens.get(credential);
    return revoked ? { status: 'revoked', account: revoked } : { status: 'unknown' };
  }

  /**
   * Exchanges a current refresh token for new tokens (both rotate). A reused token answers
   * `reused` with its former account; anything else `unknown`.
   */
  refresh(
    refreshToken: string,
  ): { status: 'ok'; account: Account } | { status: 'reused'; account: Account } | { status: 'unknown' } {
    const account = this.#byRefreshToken.get(refreshToken);
    if (account) {
      this.#retire(account);
      this.#issueTokens(account);
      return { status: 'ok', account };
    }
    const former = this.#revokedRefreshTokens.get(refreshToken);
    return former ? { status: 'reused', account: former } : { status: 'unknown' };
  }

  /** A completed login: the account gets fresh tokens and its previous ones stop working. */
  login(account: Account): void {
    this.#retire(account);
    this.#issueTokens(account);
  }

  /** A long-lived access token beside the account's usual ones (no refresh token). */
  issueLongLived(account: Account, lifetimeSeconds: number): string {
    const token = newSecret('sim-oat-long-');
    this.#longLived.set(token, { account, expiresAt: this.#clock.now() + lifetimeSeconds * 1000 });
    return token;
  }

  credentials(account: Account): AccountCredentials {
    return {
      accessToken: account.accessToken,
      refreshToken: account.refreshToken,
      apiKey: account.apiKey,
      expiresAt: Math.floor(account.expiresAt / 1000),
      accountId: account.accountId,
    };
  }

  #issueTokens(account: Account): void {
    account.accessToken = newSecret('sim-oat-');
    account.refreshToken = newSecret('sim-ort-');
    account.expiresAt = this.#clock.now() + account.expiresInSeconds * 1000;
    this.#byAccessToken.set(account.accessToken, account);
    this.#byRefreshToken.set(account.refreshToken, account);
  }

  #retire(account: Account): void {
    this.#byAccessToken.delete(account.accessToken);
    this.#byRefreshToken.delete(account.refreshToken);
    this.#revokedAccessTokens.set(account.accessToken, account);
    this.#revokedRefreshTokens.set(account.refreshToken, account);
  }
}
