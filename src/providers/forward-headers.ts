import type { IncomingHttpHeaders } from 'node:http';

/** Only the provider's own protocol headers travel upstream; credentials and hop headers never do. */
export function pickForwardedHeaders(headers: IncomingHttpHeaders, allowed: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of allowed) {
    const value = headers[name];
    if (typeof value === 'string') picked[name] = value;
  }
  return picked;
}

/**
 * Adds the client's forwarded headers to a provider's own, which win where both name the same
 * header. Built as "own headers in a literal, then copy" rather than `{ ...forwarded, own }`:
 * V8 clones an object with dashed keys through a slow path, which cost more than all the rest of
 * building the upstream request.
 */
export function withForwardedHeaders(
  own: Record<string, string>,
  forwarded: Readonly<Record<string, string>>,
): Record<string, string> {
  for (const name in forwarded) {
    if (own[name] === undefined) own[name] = forwarded[name]!;
  }
  return own;
}
