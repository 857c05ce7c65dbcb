import type { ProviderName } from '../core/types.js';
import type { HeaderBag } from '../providers/header-bag.js';

export type { HeaderBag } from '../providers/header-bag.js';

/** A provider's answer as the classifier sees it. */
export interface UpstreamAnswer {
  provider: ProviderName;
  status: number;
  /** Lower-case names, as node/undici give them. */
  headers: HeaderBag;
  /** Body text for non-2xx answers (may be undefined or truncated to 64 KiB); not read for 2xx. */
  body: string | undefined;
  /** Unix ms now (injected clock). */
  now: number;
}

/** What the router does with an answer. */
export type Classification =
  | { kind: 'success' }
  /**
   * 429/402 (and quota-403s): switch now. `until` is unix ms, undefined when the answer says nothing (router applies
   * its default cooldown).
   */
  | {
      kind: 'rate-limited';
      state: 'cooling' | 'exhausted';
      until: number | undefined;
      reason: string;
      /** The model families a spent model window binds alone (`opus`): the bucket keeps serving the others. */
      families?: readonly string[];
    }
  /** 401, and 403 that says the token is revoked/expired/invalidated: refresh once, then needs-login. */
  | { kind: 'auth'; reason: string }
  /** 5xx, 529, 408: bounded retry on the same bucket, then switch. */
  | { kind: 'retryable'; reason: string }
  /** Any other 4xx: the client's fault, passed through to the client unchanged. */
  | { kind: 'client-error'; reason: string };
