import type { ClientIdentity } from '../clients/client-directory.js';
import type { Clock, WireFormat } from '../core/types.js';
import { HttpError } from './http-error.js';

/** Refuses a profile the client's key may not use with 403, naming the ones it may. */
export function authorizeProfile(client: ClientIdentity | undefined, profile: string, format: WireFormat): void {
  if (client?.profiles === undefined || client.profiles.has(profile)) return;
  const allowed = [...client.profiles];
  const choice =
    allowed.length === 0
      ? 'it may use no profile; ask the operator to add some in config.yaml'
      : `it may use ${allowed.join(', ')}: send one in the x-switchyard-profile header`;
  throw new HttpError(
    403,
    `Client "${client.name}" may not use profile "${profile}"; ${choice}.`,
    'profile_not_allowed',
    format,
  );
}

/** Refuses a request over the client's rate limit with 429 and Retry-After. */
export function admitRequest(client: ClientIdentity | undefined, clock: Clock, format: WireFormat): void {
  if (client?.limiter === undefined) return;
  const limiter = client.limiter;
  const waitMs = limiter.take(clock.now());
  if (waitMs === 0) return;
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  throw new HttpError(
    429,
    `Client "${client.name}" is over its limit of ${limiter.perMinute} requests per minute; retry in ${seconds} s.`,
    'client_rate_limited',
    format,
    { 'retry-after': String(seconds) },
  );
}
