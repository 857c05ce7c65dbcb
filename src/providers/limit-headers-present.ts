import type { HeaderBag } from './header-bag.js';

/** The header families any provider says its limits in (HTTP's retry-after included). */
const limitHeaderPrefixes = ['retry-after', 'anthropic-ratelimit-', 'x-ratelimit-', 'x-codex-'];

/**
 * Whether an answer carries any rate-limit header at all. A 429 with none (Anthropic then sends
 * only `x-should-retry`) is about the request, not the account: the same account serves seconds later.
 */
export function hasLimitHeaders(headers: HeaderBag): boolean {
  for (const name of Object.keys(headers))
    for (const prefix of limitHeaderPrefixes) if (name.startsWith(prefix)) return true;
  return false;
}
