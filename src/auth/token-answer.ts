import { z } from 'zod';
import { chatGptAccountId } from './jwt-claims.js';
import type { OAuthTokenSet } from './token-file.js';

/** A token endpoint's successful answer; only `access_token` is required. */
export const tokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  // Some servers send seconds as a string.
  expires_in: z.coerce.number().positive().optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
  id_token: z.string().optional(),
  account_id: z.string().optional(),
  resource_url: z.string().optional(),
});

export type TokenAnswer = z.infer<typeof tokenAnswerSchema>;

/**
 * The token set after a refresh: the new access token, the new refresh token or else the old
 * one (Anthropic omits it when it did not rotate), and what the answer did not restate kept.
 * A previous needs_login mark is dropped; the env-seed lineage is kept so seeding never
 * clobbers a rotated token.
 */
export function applyTokenAnswer(current: OAuthTokenSet, answer: TokenAnswer, nowMs: number): OAuthTokenSet {
  const { needs_login: _needsLogin, expires_at: _oldExpiry, ...kept } = current;
  const next: OAuthTokenSet = { ...kept, access_token: answer.access_token };
  const refreshToken = answer.refresh_token ?? current.refresh_token;
  if (refreshToken !== undefined) next.refresh_token = refreshToken;
  if (answer.expires_in !== undefined) next.expires_at = Math.floor(nowMs / 1000) + Math.floor(answer.expires_in);
  if (answer.scope !== undefined) next.scope = answer.scope;
  if (answer.token_type !== undefined) next.token_type = answer.token_type;
  if (answer.resource_url !== undefined) next.resource_url = answer.resource_url;
  const accountId = answer.account_id ?? chatGptAccountId(answer.id_token) ?? chatGptAccountId(answer.access_token);
  if (accountId !== undefined) next.account_id = accountId;
  return next;
}
