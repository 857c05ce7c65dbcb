import type { WireFormat } from '../core/types.js';
import type { Target } from '../profiles/types.js';
import type { CallRecord } from '../state/statistics.js';
import type { ProxyRequest } from './proxy-request.js';

/** Why a request left a bucket for the next one; a small fixed set, so it can label metrics. */
export type FailoverReason =
  | 'rate_limited'
  | 'quota_exhausted'
  | 'needs_login'
  | 'unauthorized'
  | 'refresh_failed'
  | 'server_error'
  | 'network'
  | 'stream_error'
  | 'oauth_disabled'
  /** The first byte did not come in time. */
  | 'timeout'
  /** The request's deadline passed. */
  | 'deadline'
  /** A 2xx that does not parse, or that could not be translated into the client's format. */
  | 'malformed_answer'
  /** A 2xx larger than the limits of config.yaml (`answerLimitBytes`, `eventLimitBytes`). */
  | 'answer_too_large'
  | 'other';

/**
 * What metrics, logs and per-client statistics hear from the router: one hook per event, called
 * synchronously on the hot path, so each must be cheap (no I/O, no per-call label objects).
 */
export interface RouterObserver {
  /** One upstream call ended; `call` is what the bucket statistics counted. */
  attemptFinished(request: ProxyRequest, target: Target, call: CallRecord): void;
  /** The request gave up on `target` and moves on to the next bucket. */
  failover(request: ProxyRequest, target: Target, reason: FailoverReason): void;
  /** The response head went to the client: the answer is committed to `target`. */
  firstByte(request: ProxyRequest, target: Target): void;
  /** The client has its whole answer, or went away; `request.record` holds the outcome. */
  requestFinished(request: ProxyRequest): void;
}

/** A request switchyard answered itself before routing: bad key, forbidden profile, rate limit, bad body. */
export interface RefusedRequest {
  client: string | undefined;
  /** The profile asked for, when known by then. */
  profile: string | undefined;
  format: WireFormat;
  path: string;
  status: number;
  /** The error code of the answer, e.g. `invalid_client_key`, `profile_not_allowed`. */
  code: string;
  /** performance.now() when the request arrived. */
  startedAt: number;
}

/** The router's events plus the requests refused before reaching it: everything a request can end as. */
export interface RequestObserver extends RouterObserver {
  requestRefused(refused: RefusedRequest): void;
}

/** Calls several observers in turn (metrics, logs, client statistics). */
export function combineObservers(observers: readonly RequestObserver[]): RequestObserver | undefined {
  if (observers.length <= 1) return observers[0];
  return {
    attemptFinished(request, target, call) {
      for (const observer of observers) observer.attemptFinished(request, target, call);
    },
    failover(request, target, reason) {
      for (const observer of observers) observer.failover(request, target, reason);
    },
    firstByte(request, target) {
      for (const observer of observers) observer.firstByte(request, target);
    },
    requestFinished(request) {
      for (const observer of observers) observer.requestFinished(request);
    },
    requestRefused(refused) {
      for (const observer of observers) observer.requestRefused(refused);
    },
  };
}
