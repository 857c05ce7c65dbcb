/** The five providers switchyard can reach. */
export type ProviderName = 'anthropic' | 'openai' | 'codex' | 'gemini' | 'qwen';

/** The four wire formats a client can speak to switchyard. */
export type WireFormat = 'anthropic-messages' | 'openai-chat' | 'openai-responses' | 'gemini';

/** `provider/bucket`, the name a bucket goes by in headers, statistics and state. */
export type BucketKey = `${ProviderName}/${string}`;

export function bucketKey(provider: ProviderName, bucket: string): BucketKey {
  return `${provider}/${bucket}`;
}

/** What a request needs to authenticate upstream; resolved per attempt by the token manager. */
export type Credential =
  | {
      kind: 'oauth';
      accessToken: string;
      /** ChatGPT account id sent as `chatgpt-account-id` (codex). */
      accountId?: string;
      /** Qwen's per-account API host, from the token answer's `resource_url`. */
      resourceUrl?: string;
      /** Google Cloud project for the Code Assist API (gemini OAuth). */
      project?: string;
    }
  | { kind: 'api-key'; apiKey: string };

/**
 * A bucket's routing state. `cooling` is a short throttle, `exhausted` a spent quota; both are
 * skipped until `until`. `resting`: it failed again and again (5xx, network, timeouts) and is
 * skipped until `until`, then one request probes it. `needs-login` is skipped until someone logs in again.
 */
export type BucketStatus = 'ready' | 'cooling' | 'exhausted' | 'resting' | 'needs-login';

export interface BucketState {
  status: BucketStatus;
  /** Unix milliseconds when the bucket may be used again (cooling, exhausted). */
  until?: number;
  /** Short machine-readable reason, e.g. `429`, `402`, `usage_limit_reached`, `invalid_grant`. */
  reason?: string;
}

/** Injected time source so that tests move time without sleeping. */
export interface Clock {
  /** Unix milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
