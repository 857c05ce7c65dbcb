import type { Target } from '../profiles/types.js';
import type { FailoverReason } from './router-observer.js';

/**
 * How one attempt on a bucket ended. The first group are answers the provider gave (the trail
 * shows their HTTP status); the rest end without a usable status (the trail shows the reason).
 */
export type AttemptReason =
  /** A 2xx relayed to the client. */
  | 'served'
  /** A 4xx the client caused, relayed to it in its own format. */
  | 'client-error'
  /** A short throttle (429 and the like): the bucket cools down. */
  | 'rate-limited'
  /** A spent quota (402, a quota 429 or 403): the bucket rests until its reset. */
  | 'quota-exhausted'
  /** 401, or a 403 that says the token is revoked: refresh once, then needs login. */
  | 'unauthorized'
  /** 5xx, 529, 408: retried on the same bucket, then left. */
  | 'server-error'
  /** A 429 that says the model has no capacity (not the account's quota): retried like a 5xx. */
  | 'overloaded'
  /** No answer: the connection failed. */
  | 'network'
  /** The first byte did not come within the first-byte timeout. */
  | 'timeout'
  /** The request's own deadline passed during the attempt. */
  | 'deadline'
  /** A 2xx whose JSON does not parse. */
  | 'malformed'
  /** A 2xx from a provider of another format that could not be translated. */
  | 'unreadable-answer'
  /** A 2xx stream that opened with an error event. */
  | 'stream-error'
  /** A 2xx stream that failed or ended before its first event. */
  | 'stream-failed'
  /** A 2xx whose body failed while it was read. */
  | 'body-failed'
  /** A 2xx answer, or a stream before its first event, larger than config.yaml allows to hold. */
  | 'too-large'
  /** The refresh after a 401 failed. */
  | 'refresh-failed'
  /** No credential: the bucket needs a login (or its key variable is unset). */
  | 'needs-login'
  /** Reading the credential failed for another reason. */
  | 'credential-error'
  /** `switchyard auth <provider> disable` turned the provider's OAuth buckets off. */
  | 'oauth-disabled';

/** One attempt as a value: the bucket, the provider's HTTP status (0: none) and why it ended. */
export interface AttemptOutcome {
  readonly target: Target;
  readonly status: number;
  readonly reason: AttemptReason;
  /** For `network`: what failed (`ECONNREFUSED 127.0.0.1:9000`), never holding a credential. */
  readonly cause?: string;
}

/** Per reason: whether the trail shows the status (else the reason), and the failover label it stands for. */
const reasons: Readonly<Record<AttemptReason, { showsStatus: boolean; failover: FailoverReason }>> = {
  served: { showsStatus: true, failover: 'other' },
  'client-error': { showsStatus: true, failover: 'other' },
  'rate-limited': { showsStatus: true, failover: 'rate_limited' },
  'quota-exhausted': { showsStatus: true, failover: 'quota_exhausted' },
  unauthorized: { showsStatus: true, failover: 'unauthorized' },
  'server-error': { showsStatus: true, failover: 'server_error' },
  overloaded: { showsStatus: true, failover: 'rate_limited' },
  network: { showsStatus: false, failover: 'network' },
  timeout: { showsStatus: false, failover: 'timeout' },
  deadline: { showsStatus: false, failover: 'deadline' },
  malformed: { showsStatus: false, failover: 'malformed_answer' },
  'unreadable-answer': { showsStatus: false, failover: 'malformed_answer' },
  'stream-error': { showsStatus: false, failover: 'stream_error' },
  'stream-failed': { showsStatus: false, failover: 'stream_error' },
  'body-failed': { showsStatus: false, failover: 'stream_error' },
  'too-large': { showsStatus: false, failover: 'answer_too_large' },
  'refresh-failed': { showsStatus: false, failover: 'refresh_failed' },
  'needs-login': { showsStatus: false, failover: 'needs_login' },
  'credential-error': { showsStatus: false, failover: 'needs_login' },
  'oauth-disabled': { showsStatus: false, failover: 'oauth_disabled' },
};

/** Why a request that ended an attempt this way left the bucket, as metrics and logs label it. */
export function failoverReasonOf(outcome: AttemptOutcome): FailoverReason {
  return reasons[outcome.reason].failover;
}

/** `provider/bucket:429` or `provider/bucket:timeout`, one entry of `x-switchyard-attempts`. */
export function renderAttempt(outcome: AttemptOutcome): string {
  return `${outcome.target.key}:${reasons[outcome.reason].showsStatus ? outcome.status : outcome.reason}`;
}

/** The trail as `x-switchyard-attempts` and error messages show it (`separator` between entries). */
export function renderTrail(trail: readonly AttemptOutcome[], separator = ','): string {
  let text = '';
  for (let index = 0; index < trail.length; index += 1) {
    if (index > 0) text += separator;
    text += renderAttempt(trail[index]!);
  }
  return text;
}

/**
 * `anthropic/a ECONNREFUSED 127.0.0.1:9000, ...`: the causes the trail recorded, each bucket and
 * cause once, for error messages and the request log; empty when no attempt recorded one.
 */
export function renderCauses(trail: readonly AttemptOutcome[]): string {
  const seen = new Set<string>();
  for (const outcome of trail) if (outcome.cause !== undefined) seen.add(`${outcome.target.key} ${outcome.cause}`);
  return [...seen].join(', ');
}

/**
 * The longest `x-switchyard-attempts` sent: well under Node's 16 KB limit for all headers together
 * (a client past it fails with HPE_HEADER_OVERFLOW instead of reading the answer), with room
 * left for the provider's own headers. About 40 attempts fit; the request log keeps every one.
 */
export const maximumTrailHeaderBytes = 4096;

/**
 * The trail as the `x-switchyard-attempts` header: whole while it fits `maximumTrailHeaderBytes`,
 * else its first and last attempts (as many as fit) around `+N more` for those left out, so a chain
 * of thousands of buckets cannot grow the header past what clients accept.
 */
export function renderTrailHeader(trail: readonly AttemptOutcome[]): string {
  const entries: string[] = [];
  let length = 0;
  for (const outcome of trail) {
    const entry = renderAttempt(outcome);
    length += entry.length + (entries.length > 0 ? 1 : 0);
    entries.push(entry);
  }
  if (length <= maximumTrailHeaderBytes) return entries.join(',');
  // Room for the elision itself: `,+N more,` with N of up to 10 digits.
  const budget = maximumTrailHeaderBytes - 20;
  let head = 1;
  let tail = 1;
  let used = entries[0]!.length + entries.at(-1)!.length;
  // Alternately one more from the start and one more from the end, while they fit.
  for (let fromStart = true; head + tail < entries.length; fromStart = !fromStart) {
    const next = fromStart ? entries[head]! : entries[entries.length - 1 - tail]!;
    if (used + next.length + 1 > budget) break;
    used += next.length + 1;
    if (fromStart) head += 1;
    else tail += 1;
  }
  const left = entries.length - head - tail;
  return `${entries.slice(0, head).join(',')},+${left} more,${entries.slice(entries.length - tail).join(',')}`;
}
