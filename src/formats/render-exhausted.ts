import type { WireFormat } from '../core/types.js';
import { renderError } from './dispatch.js';
import type { BucketAvailability } from './types.js';

/** `switchyard auth <provider> login <bucket>` for a `provider/bucket` key. */
function loginCommand(key: string): string {
  const slash = key.indexOf('/');
  return slash === -1
    ? `switchyard auth <provider> login ${key}`
    : `switchyard auth ${key.slice(0, slash)} login ${key.slice(slash + 1)}`;
}

/** Whether only a person brings this bucket back: a new login, its provider enabled again, or a resume. */
function needsPerson(bucket: BucketAvailability): boolean {
  return bucket.state === 'needs-login' || bucket.state === 'disabled' || bucket.state === 'paused';
}

/** Which buckets need a person (a new login, an enabled provider), and the commands that fix them. */
function loginAdvice(buckets: BucketAvailability[]): string {
  const advised = buckets.flatMap((bucket) => (bucket.advice === undefined ? [] : [bucket.advice]));
  const others = buckets.filter((bucket) => bucket.advice === undefined);
  return [...advised, ...(others.length > 0 ? [genericLoginAdvice(others)] : [])].join(' ');
}

/** `a and b need a new login; run: ...` for buckets whose only known fix is a login. */
function genericLoginAdvice(buckets: BucketAvailability[]): string {
  const keys = buckets.map((bucket) => bucket.key);
  const names = keys.length === 1 ? keys[0] : `${keys.slice(0, -1).join(', ')} and ${keys.at(-1)}`;
  return `${names} need${keys.length === 1 ? 's' : ''} a new login; run: ${keys.map(loginCommand).join(', then ')}.`;
}

/**
 * The answer when no bucket can take the request: 429, Retry-After to the earliest reset, and a
 * message that begins `All OAuth buckets exhausted` and names that reset in ISO 8601; the error
 * object lists every bucket under `buckets`, with code `all_buckets_exhausted`.
 */
export function renderExhausted(
  format: WireFormat,
  buckets: BucketAvailability[],
  now: number,
): { status: number; retryAfterSeconds: number | undefined; body: string } {
  let earliest: number | undefined;
  for (const bucket of buckets) {
    if (needsPerson(bucket) || bucket.availableAt === undefined) continue;
    if (earliest === undefined || bucket.availableAt < earliest) earliest = bucket.availableAt;
  }
  const needingLogin = buckets.filter(needsPerson);

  let message: string;
  let retryAfterSeconds: number | undefined;
  if (earliest !== undefined) {
    // At least 1 s: a reset that has just passed still needs the state to catch up.
    retryAfterSeconds = Math.max(1, Math.ceil((earliest - now) / 1000));
    message =
      `All OAuth buckets exhausted; the first one resets at ${new Date(earliest).toISOString()} ` +
      `(in ${retryAfterSeconds} s).`;
    if (needingLogin.length > 0) message += ` ${loginAdvice(needingLogin)}`;
  } else if (needingLogin.length > 0) {
    message = `All OAuth buckets exhausted, and none of them resets by itself: ${loginAdvice(needingLogin)}`;
  } else {
    message = 'All OAuth buckets exhausted; none of them reported when it resets.';
  }

  const listed = buckets.map((bucket) => ({
    key: bucket.key,
    state: bucket.state,
    availableAt: bucket.availableAt === undefined ? null : new Date(bucket.availableAt).toISOString(),
  }));
  const body = renderError(format, {
    status: 429,
    message,
    code: 'all_buckets_exhausted',
    details: { buckets: listed },
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    ...(earliest === undefined ? {} : { resetsAt: earliest }),
  });
  return { status: 429, retryAfterSeconds, body };
}
