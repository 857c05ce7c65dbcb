import type { OAuthTokenSet } from './token-file.js';

/** True once the access token's expiry has passed (a set without expiry never expires by time). */
export function isExpired(tokens: OAuthTokenSet, nowMs: number): boolean {
  return tokens.expires_at !== undefined && tokens.expires_at * 1000 <= nowMs;
}

/** True when the access token expires within `aheadSeconds`: time to refresh proactively. */
export function isDueForRefresh(tokens: OAuthTokenSet, nowMs: number, aheadSeconds: number): boolean {
  return tokens.expires_at !== undefined && (tokens.expires_at - aheadSeconds) * 1000 <= nowMs;
}
