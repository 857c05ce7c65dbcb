/**
 * The deepest nesting of objects and arrays a request body may have: far beyond any real request
 * (tool schemas and arguments nest a few dozen levels), and far below where the recursive steps on
 * a request's way upstream (re-serialising it, translating it) would run out of stack.
 */
export const maximumJsonNesting = 512;

/**
 * Whether a parsed JSON value nests objects and arrays deeper than `limit` levels (the value itself
 * is the first). It walks the parsed value, not the text: a body's bytes are mostly strings, so
 * its values are far fewer than its characters. The walk stops at the limit, so its own recursion
 * stays within it.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit === 0) return true;
  if (Array.isArray(value)) {
    for (const entry of value) if (nestsDeeperThan(entry, limit - 1)) return true;
    return false;
  }
  for (const key in value) if (nestsDeeperThan((value as Record<string, unknown>)[key], limit - 1)) return true;
  return false;
}
