import type { IncomingHttpHeaders } from 'node:http';
import type { WireFormat } from '../core/types.js';
import { presentedClientKey } from './client-credential.js';
import { secretsEqual } from './constant-time.js';
import { HttpError } from './http-error.js';

/** Refuses a request without the configured client key, in the caller's format. */
export function requireClientKey(expected: string | undefined, headers: IncomingHttpHeaders, query: string | undefined, format: WireFormat | undefined): void {
  if (expected === undefined) return;
  const presented = presentedClientKey(headers, query);
  if (presented === undefined) {
    throw new HttpError(401, 'This switchyard requires a client key: send it as "Authorization: Bearer <key>" or "x-api-key".', 'missing_client_key', format);
  }
  if (!secretsEqual(presented, expected)) {
    throw new HttpError(401, 'The client key is not valid for this switchyard.', 'invalid_client_key', format);
  }
}

/** Administration needs the admin key when one is set, else the client key (if any). */
export function requireAdminKey(adminKey: string | undefined, clientKey: string | undefined, headers: IncomingHttpHeaders): void {
  if (adminKey === undefined) {
    requireClientKey(clientKey, headers, undefined, undefined);
    return;
  }
  const presented = presentedClientKey(headers, undefined);
  if (presented === undefined || !secretsEqual(presented, adminKey)) {
    throw new HttpError(401, 'This route needs the admin key (SWITCHYARD_ADMIN_KEY) as "Authorization: Bearer <key>".', 'admin_key_required', undefined);
  }
}
