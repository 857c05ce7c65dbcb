export type RateLimitStyle =
  | 'anthropic-unified'
  | 'anthropic-throttle'
  | 'openai'
  | 'codex'
  | 'gemini'
  | 'retry-after-seconds'
  | 'retry-after-date'
  | 'retry-after-ms'
  | 'none';

/** What the simulator does with one API request to an account. */
export type Step =
  | { kind: 'ok'; delayMs?: number; streamEvents?: number; holdOpenMs?: number }
  | { kind: 'rate-limit'; style: RateLimitStyle; resetSeconds: number; quota?: boolean }
  | { kind: 'payment' }
  | { kind: 'unauthorized' }
  | { kind: 'server-error'; status?: 500 | 502 | 503 | 529 }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'stream-cut'; afterEvents: number }
  | { kind: 'stream-error'; errorType?: string };

/** The API shape a route speaks, which decides bodies and error shapes. */
export type SimulatedFormat = 'anthropic' | 'chat' | 'responses' | 'gemini';

export interface AccountCounts {
  requests: number;
  byStatus: Record<number, number>;
  refreshes: number;
  invalidGrants: number;
  maxConcurrent: number;
  inFlight: number;
}

export interface AccountCredentials {
  accessToken: string;
  refreshToken: string;
  apiKey: string;
  /** Unix seconds. */
  expiresAt: number;
  accountId: string;
}

export interface AccountOptions {
  accountId?: string;
  expiresInSeconds?: number;
  tokenDelayMs?: number;
}
