/**
 * Adds the client's forwarded headers to a provider's own, which win where both name the same
 * header. Built as "own headers in a literal, then copy" rather than `{ ...forwarded, own }`:
 * V8 clones an object with dashed keys through a slow path that cost about 2 µs per request,
 * more than all the rest of building the upstream request.
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
