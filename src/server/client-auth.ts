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
 */
export function requireClientKey(
  clients: ClientDirectory,
  headers: IncomingHttpHeaders,
  query: string | undefined,
  format: WireFormat | undefined,
  adminKey?: string,
): void {
  if (adminKey !== undefined) {
    const presented = presentedClientKey(headers, query);
    if (presented !== undefined && secretsEqual(presented, adminKey)) return;
  }
  authenticateClient(clients, headers, query, format);
}

/** Administration needs the admin key when one is set, else a client key (if any). */
export function requireAdminKey(
  adminKey: string | undefined,
  clients: ClientDirectory,
  headers: IncomingHttpHeaders,
): void {
  if (adminKey === undefined) {
    requireClientKey(clients, headers, undefined, undefined);
    return;
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

/** Where the caller's own SDK puts a key: Gemini clients send `x-goog-api-key`, the others a bearer or `x-api-key`. */
function keyHeadersFor(format: WireFormat | undefined): string {
  return format === 'gemini'
    ? '"x-goog-api-key" (or "Authorization: Bearer <key>")'
    : '"Authorization: Bearer <key>" or "x-api-key"';
}
