import type { IncomingHttpHeaders } from 'node:http';
import type { ClientDirectory, ClientIdentity } from '../clients/client-directory.js';
import type { WireFormat } from '../core/types.js';
import { presentedClientKey } from './client-credential.js';
import { secretsEqual } from './constant-time.js';
import { HttpError } from './http-error.js';

/**
 * The client whose key the request carries, or undefined when no client keys are configured.
 * A missing or unknown key is refused with 401, in the caller's format.
 */
export function authenticateClient(
  clients: ClientDirectory,
  headers: IncomingHttpHeaders,
  query: string | undefined,
  format: WireFormat | undefined,
): ClientIdentity | undefined {
  if (!clients.required) return undefined;
  const presented = presentedClientKey(headers, query);
  if (presented === undefined) {
    throw new HttpError(
      401,
      `This switchyard requires a client key: send it as ${keyHeadersFor(format)}.`,
      'missing_client_key',
      format,
    );
  }
  const client = clients.identify(presented);
  if (client === undefined) {
    throw new HttpError(401, 'The client key is not valid for this switchyard.', 'invalid_client_key', format);
  }
  return client;
}

/**
 * Refuses a request without a valid client key (when keys are configured), in the caller's
 * format. Where `adminKey` is given, it is accepted too: the CLI reads statistics with it.
 * Returns the client whose key it was; undefined when the caller may see everything (the admin
 * key, or no keys configured).
 */
export function requireClientKey(
  clients: ClientDirectory,
  headers: IncomingHttpHeaders,
  query: string | undefined,
  format: WireFormat | undefined,
  adminKey?: string,
): ClientIdentity | undefined {
  if (adminKey !== undefined) {
    const presented = presentedClientKey(headers, query);
    if (presented !== undefined && secretsEqual(presented, adminKey)) return undefined;
  }
  return authenticateClient(clients, headers, query, format);
}

/**
 * Administration (the token routes, switching the active profile, metrics, the dashboard's data,
 * per-client statistics) needs the admin key when one is set. Without one, whenever client keys
 * exist it needs SWITCHYARD_API_KEY's key (the client `default`): a key from config.yaml was
 * handed out to use some profiles, not to revoke other people's logins or switch everyone's
 * profile. With no keys at all (a loopback bind), it is open to this machine's programs.
 */
export function requireAdminKey(
  adminKey: string | undefined,
  clients: ClientDirectory,
  headers: IncomingHttpHeaders,
): void {
  if (adminKey === undefined) {
    const client = authenticateClient(clients, headers, undefined, undefined);
    if (client === undefined || client.administers) return;
    throw new HttpError(
      403,
      `Client "${client.name}" may not administer this switchyard: only the key in SWITCHYARD_ADMIN_KEY may, ` +
        (clients.hasApiKey
          ? 'or, while none is set, the key in SWITCHYARD_API_KEY.'
          : 'or the key in SWITCHYARD_API_KEY while no admin key is set; neither is set where switchyard runs.'),
      'administration_not_allowed',
      undefined,
    );
  }
  const presented = presentedClientKey(headers, undefined);
  if (presented === undefined || !secretsEqual(presented, adminKey)) {
    throw new HttpError(
      401,
      'This route needs the admin key (SWITCHYARD_ADMIN_KEY) as "Authorization: Bearer <key>".',
      'admin_key_required',
      undefined,
    );
  }
}

/** Who may administer, as `serve` says at start. */
export function administrators(adminKey: string | undefined, clients: ClientDirectory): string {
  if (adminKey !== undefined) return 'the key in SWITCHYARD_ADMIN_KEY only';
  if (clients.hasApiKey)
    return 'the key in SWITCHYARD_API_KEY only (set SWITCHYARD_ADMIN_KEY for a separate one); client keys may not';
  if (clients.required) return 'nobody over HTTP (client keys may not); set SWITCHYARD_ADMIN_KEY to allow it';
  return 'any program on this machine (no keys are set); web pages may not';
}

/** Where the caller's own SDK puts a key: Gemini clients send `x-goog-api-key`, the others a bearer or `x-api-key`. */
function keyHeadersFor(format: WireFormat | undefined): string {
  return format === 'gemini'
    ? '"x-goog-api-key" (or "Authorization: Bearer <key>")'
    : '"Authorization: Bearer <key>" or "x-api-key"';
}
