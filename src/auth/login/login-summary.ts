import { describeIn } from '../../core/relative-time.js';
import type { OAuthTokenSet } from '../token-file.js';

/**
 * "Logged in: anthropic/work (expires in 1 hour, refresh token stored)": what a finished login
 * says, in the terminal and on the dashboard alike. Never a token.
 */
export function loginSummary(provider: string, bucket: string, tokens: OAuthTokenSet, now: number): string {
  const details = [
    tokens.expires_at !== undefined ? `expires ${describeIn(tokens.expires_at * 1000, now)}` : undefined,
    tokens.refresh_token !== undefined ? 'refresh token stored' : 'no refresh token',
    tokens.account_id !== undefined ? `account ${tokens.account_id}` : undefined,
  ].filter((detail) => detail !== undefined);
  return `Logged in: ${provider}/${bucket} (${details.join(', ')}).`;
}
