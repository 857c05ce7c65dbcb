import type { BucketState } from '../core/types.js';
import type { FailoverReason } from './router-observer.js';

/**
 * Names why a bucket was left, from the state the attempt left it in and the last trail entry
 * (`provider/bucket:outcome`); only computed when someone observes, never on the plain path.
 */
export function failoverReason(state: BucketState | undefined, lastTrailEntry: string | undefined): FailoverReason {
  const outcome = lastTrailEntry === undefined ? '' : lastTrailEntry.slice(lastTrailEntry.lastIndexOf(':') + 1);
  if (outcome === 'oauth-disabled') return 'oauth_disabled';
  if (outcome === 'refresh-failed') return 'refresh_failed';
  if (outcome === 'needs-login' || outcome === 'credential-error') return 'needs_login';
  if (state?.status === 'exhausted') return 'quota_exhausted';
  if (state?.status === 'cooling') return 'rate_limited';
  if (state?.status === 'needs-login') return outcome === '401' || outcome === '403' ? 'unauthorized' : 'needs_login';
  if (outcome === 'network') return 'network';
  if (outcome === 'stream-error' || outcome === 'stream-failed' || outcome === 'body-failed') return 'stream_error';
  const status = Number(outcome);
  if (status >= 500) return 'server_error';
  if (status === 429) return 'rate_limited';
  if (status === 402) return 'quota_exhausted';
  if (status === 401 || status === 403) return 'unauthorized';
  return 'other';
}
