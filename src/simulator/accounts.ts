import type { AccountCounts, AccountCredentials, AccountOptions, Step } from './types.js';

/** One fake user: its credentials (rotating), its script and what reached it. */
export interface Account {
  name: string;
  accountId: string;
  accessToken: string;
  refreshToken: string;
  apiKey: string;
  /** Unix ms. */
  expiresAt: number;
  expiresInSeconds: number;
  tokenDelayMs: number;
  generation: number;
  queue: Step[];
  behavior: Step | undefined;
  counts: AccountCounts;
}

function emptyCounts(): AccountCounts {
  return { requests: 0, byStatus: {}, refreshes: 0, invalidGrants: 0, maxConcurrent: 0, inFlight: 0 };
}

/** The accounts and the indexes that find them by credential. */
export class AccountBook {
  private readonly byName = new Map<string, Account>();
  private readonly byAccessToken = new Map<string, Account>();
  private readonly byApiKey = new Map<string, Account>();
  private readonly byRefreshToken = new Map<string, Account>();
  /** Counts for requests whose credential matched no account. */
  readonly unknownCounts = emptyCounts();

  constructor(private readonly now: () => number) {}

  add(name: string, options: AccountOptions = {}): AccountCredentials {
    const existing = this.byName.get(name);
    if (existing) return this.credentialsOf(existing);
    const account: Account = {
      name,
      accountId: options.accountId ?? `acct-${name}`,
      accessToken: '',
      refreshToken: '',
      apiKey: `sim-key-${name}`,
      expiresAt: 0,
      expiresInSeconds: options.expiresInSeconds ?? 3600,
      tokenDelayMs: options.tokenDelayMs ?? 0,
      generation: 0,
      queue: [],
      behavior: undefined,
      counts: emptyCounts(),
    };
    this.byName.set(name, account);
    this.byApiKey.set(account.apiKey, account);
    this.rotate(account);
    return this.credentialsOf(account);
  }

  /** Issues a new access and refresh token; the old ones stop working. */
  rotate(account: Account): void {
    this.byAccessToken.delete(account.accessToken);
    this.byRefreshToken.delete(account.refreshToken);
    account.generation += 1;
    account.accessToken = `sim-at-${account.name}-${account.generation}`;
    account.refreshToken = `sim-rt-${account.name}-${account.generation}`;
    account.expiresAt = this.now() + account.expiresInSeconds * 1000;
    this.byAccessToken.set(account.accessToken, account);
    this.byRefreshToken.set(account.refreshToken, account);
  }

  credentialsOf(account: Account): AccountCredentials {
    return {
      accessToken: account.accessToken,
      refreshToken: account.refreshToken,
      apiKey: account.apiKey,
      expiresAt: Math.floor(account.expiresAt / 1000),
      accountId: account.accountId,
    };
  }

  get(name: string): Account {
    const account = this.byName.get(name);
    if (!account) throw new Error(`The simulator has no account "${name}"; add it first.`);
    return account;
  }

  all(): IterableIterator<Account> {
    return this.byName.values();
  }

  /** The account a credential belongs to, and whether it is an OAuth token (vs an API key). */
  authenticate(credential: string | undefined): { account: Account; oauth: boolean; expired: boolean } | undefined {
    if (!credential) return undefined;
    const byToken = this.byAccessToken.get(credential);
    if (byToken) return { account: byToken, oauth: true, expired: byToken.expiresAt <= this.now() };
    const byKey = this.byApiKey.get(credential);
    return byKey ? { account: byKey, oauth: false, expired: false } : undefined;
  }

  byRefresh(token: string): Account | undefined {
    return this.byRefreshToken.get(token);
  }

  /** The next step for a request: the scripted queue first, then the persistent behaviour. */
  nextStep(account: Account): Step {
    return account.queue.shift() ?? account.behavior ?? { kind: 'ok' };
  }

  resetCounts(): void {
    for (const account of this.byName.values()) account.counts = { ...emptyCounts(), inFlight: account.counts.inFlight };
    Object.assign(this.unknownCounts, emptyCounts());
  }
}
