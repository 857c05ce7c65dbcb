/** The four wire formats the simulator answers in; Qwen shares `chat`, Codex shares `responses`. */
export type SimulatedFormat = 'anthropic' | 'chat' | 'responses' | 'gemini';

/** Where a 429's reset information goes, imitating one provider's real signals. */
export type RateLimitStyle =
  | 'anthropic-unified'
  | 'anthropic-throttle'
  | 'openai'
  | 'codex'
  /** Codex's `usage_limit_reached` body alone, without its `x-codex-*` headers. */
  | 'codex-body'
  | 'gemini'
  | 'retry-after-seconds'
  | 'retry-after-date'
  | 'retry-after-ms'
  | 'none';

/** One scripted answer for one API request of an account. */
export type Step =
  | {
      kind: 'ok';
      delayMs?: number;
      /** Text delta events in a stream (default 5). */
      streamEvents?: number;
      /** Streams: send the first events, then hold the stream open this long before the rest. */
      holdOpenMs?: number;
      /** Headers the answer carries besides its own (a provider's usage-window headers, say). */
      headers?: Record<string, string>;
    }
  | {
      kind: 'rate-limit';
      style: RateLimitStyle;
      resetSeconds: number;
      quota?: boolean;
      /** Headers beside (and over) the style's own: a provider's exact header set, say. */
      headers?: Record<string, string>;
    }
  | { kind: 'payment' }
  | { kind: 'unauthorized' }
  | { kind: 'server-error'; status?: 500 | 502 | 503 | 529 }
  | { kind: 'slow'; delayMs: number }
  /**
   * A stream cut off (TCP RST) after its first `afterEvents` events, or after its first `atByte`
   * bytes, wherever that falls: inside a line, between an event's lines, on a boundary.
   */
  | { kind: 'stream-cut'; afterEvents: number }
  | { kind: 'stream-cut'; atByte: number }
  | { kind: 'stream-error'; errorType?: string }
  /**
   * An ok answer that calls a tool instead of writing text: `name` defaults to the first tool the
   * request offers; streams give the arguments in a few pieces, as providers do.
   */
  | { kind: 'tool-call'; name?: string; arguments?: Record<string, unknown> }
  /**
   * The connection is reset (TCP RST): before any answer (`connect`), right after a 200's headers
   * (`headers`), or halfway through the body or stream (`body`).
   */
  | { kind: 'reset'; at: FaultPoint }
  /**
   * The answer stops and never goes on, until the client gives up: no headers at all
   * (`headers`), or a 200's headers and the start of the body (`body`: half the JSON, or for a
   * stream only a comment, before any event).
   */
  | { kind: 'stall'; at: Exclude<FaultPoint, 'connect'> }
  /** A 200 whose JSON (or whose stream's first event) does not parse. */
  | { kind: 'malformed' }
  /**
   * A 200 whose body never ends: the start of a JSON answer, or of a stream event (after the
   * stream's first `afterEvents` events, default none), then filler for as long as the client
   * reads (a broken or hostile upstream).
   */
  | { kind: 'endless'; afterEvents?: number };

/** Where in an answer a fault strikes. */
export type FaultPoint = 'connect' | 'headers' | 'body';

/** Usage windows of a subscription account (see usage-windows.ts). */
export interface UsageWindowsOptions {
  /** Whose headers every answer carries. */
  style: 'anthropic' | 'codex' | 'openai';
  windows: {
    /** The window's length: 18000 is 5 hours, 604800 a week. */
    seconds: number;
    /** Units the window holds; each answer spends `cost`. */
    capacity: number;
    /** A model family's own window (`opus`): it limits that family alone. */
    family?: string;
    /** Units already spent when the window is set. */
    used?: number;
    /** Seconds until this window's first reset (default: its length). */
    resetInSeconds?: number;
  }[];
  /** Units each answer spends (default 1). */
  cost?: number;
}

export interface AccountOptions {
  /** ChatGPT account id (default `acct-<name>`), checked against `chatgpt-account-id`. */
  accountId?: string;
  /** Lifetime of each access token (default 3600). */
  expiresInSeconds?: number;
  /** Delay before the token endpoint answers for this account. */
  tokenDelayMs?: number;
}

/** What `addAccount` hands out: everything a client needs to log in as the account. */
export interface AccountCredentials {
  accessToken: string;
  refreshToken: string;
  apiKey: string;
  /** Unix seconds. */
  expiresAt: number;
  accountId: string;
}

export interface AccountCounts {
  /** API requests that reached the account, whatever the answer. */
  requests: number;
  byStatus: Record<number, number>;
  /** Successful refresh grants. */
  refreshes: number;
  /** Refresh grants refused with invalid_grant (reused or unknown refresh token). */
  invalidGrants: number;
  /** Requests whose client went away before the answer was complete (the simulator did not end them). */
  aborted: number;
  /** Completed logins (authorization code or device code grants). */
  logins: number;
  /** Peak of requests in flight at once. */
  maxConcurrent: number;
  inFlight: number;
}

export interface SimulatorClock {
  /** Unix milliseconds. */
  now(): number;
}

/** How the simulator's login endpoints behave. */
export interface LoginOptions {
  /** Only these client ids may log in (default: any non-empty one). */
  clientIds?: string[];
  /** Seconds a device flow client must wait between polls (default 5). */
  deviceIntervalSeconds?: number;
  /** Lifetime of a device code (default 900). */
  deviceExpiresInSeconds?: number;
}

export interface SimulatorOptions {
  host?: string;
  port?: number;
  clock?: SimulatorClock;
  login?: LoginOptions;
  /**
   * How many times faster than the clock usage windows pass (default 1): at 3600 a 5-hour window
   * lasts 5 s and a week under 3 min, so resets come in seconds. Tokens and delays keep real time.
   */
  timeScale?: number;
}

export interface Simulator {
  /** `http://HOST:PORT`, the base URL for every simulated provider. */
  readonly url: string;
  readonly port: number;
  addAccount(name: string, options?: AccountOptions): AccountCredentials;
  /** Queue steps consumed one per API request to the account. */
  script(account: string, steps: Step[]): void;
  /** The step used when the queue is empty (undefined: ok). */
  setBehavior(account: string, step: Step | undefined): void;
  /** Meters the account in usage windows (undefined: unmetered); answers carry the provider's headers. */
  setUsageWindows(account: string, options: UsageWindowsOptions | undefined): void;
  /** Each window's spent units and reset, for tests and the demo. */
  usageWindows(account: string): { name: string; used: number; capacity: number; resetsAt: number }[];
  /** Moves every metered account's windows `seconds` on (time-scaled seconds): windows whose end passes reset. */
  advanceUsageWindows(seconds: number): void;
  /** Names of the accounts metered in usage windows. */
  meteredAccounts(): string[];
  /** How many times faster than the clock usage windows pass. */
  readonly timeScale: number;
  counts(account: string): AccountCounts;
  /** Every account's counts (and `unknown`'s, once a request had unknown credentials). */
  allCounts(): Record<string, AccountCounts>;
  totalRequests(): number;
  resetCounts(): void;
  /** Queues answers for the next device-flow polls, before the real state is looked at. */
  scriptDevicePolls(outcomes: ('authorization_pending' | 'slow_down')[]): void;
  /** Stops listening and closes every open socket, keep-alive ones too. */
  close(): Promise<void>;
}
