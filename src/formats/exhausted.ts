import type { WireFormat } from '../core/types.js';
import { renderError } from './dispatch.js';
import type { BucketAvailability } from './types.js';

/**
 * The answer when no bucket can take the request: 429, Retry-After to the earliest reset, and a
 * message that begins `All OAuth buckets exhausted` and names that reset in ISO 8601.
 */
export function renderExhausted(
  format: WireFormat,
  buckets: BucketAvailability[],
  now: number,
): { status: number; retryAfterSeconds: number | undefined; body: string } {
  const resets = buckets.map((bucket) => bucket.availableAt).filter((at): at is number => at !== undefined && at > now);
  const earliest = resets.length > 0 ? Math.min(...resets) : undefined;
  const listed = buckets.map((bucket) => ({
    bucket: bucket.key,
    state: bucket.state,
    available_at: bucket.availableAt !== undefined && bucket.availableAt > now ? new Date(bucket.availableAt).toISOString() : null,
  }));
  let message: string;
  let retryAfterSeconds: number | undefined;
  if (earliest !== undefined) {
    retryAfterSeconds = Math.max(1, Math.ceil((earliest - now) / 1000));
    message = `All OAuth buckets exhausted; the first one resets at ${new Date(earliest).toISOString()} (in ${retryAfterSeconds} s).`;
  } else {
    const loginNeeded = buckets.filter((bucket) => bucket.state === 'needs-login').map((bucket) => bucket.key);
    message =
      loginNeeded.length > 0
        ? `All OAuth buckets exhausted, and none resets by itself: ${loginNeeded.join(', ')} need${loginNeeded.length === 1 ? 's' : ''} a new login (switchyard auth <provider> import <bucket> --from FILE).`
        : 'All OAuth buckets exhausted; no bucket reported when it resets.';
  }
  const body = renderError(format, { status: 429, message, code: 'all_buckets_exhausted', details: { buckets: listed } });
  return { status: 429, retryAfterSeconds, body };
}
