import { z } from 'zod';
import { InvalidTokenFileError } from '../invalid-token-file-error.js';
import { describeIssues, type OAuthTokenSet } from '../token-file.js';
import { type TokenImporter, toUnixSeconds } from './token-importer.js';

/**
 * Claude Code's `~/.claude/.credentials.json` (on macOS the same JSON lives in the keychain).
 * @see https://docs.anthropic.com/en/docs/claude-code/iam
 */
const claudeCodeSchema = z.object({
  claudeAiOauth: z.object({
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1).optional(),
    /** Milliseconds. */
    expiresAt: z.number().positive().optional(),
    scopes: z.array(z.string()).optional(),
    subscriptionType: z.string().nullable().optional(),
  }),
});

export const claudeCodeImporter: TokenImporter = {
  name: 'Claude Code .credentials.json (claudeAiOauth)',
  providers: ['anthropic'],
  detect: (json) => 'claudeAiOauth' in json,
  parse(json, source) {
    const result = claudeCodeSchema.safeParse(json);
    if (!result.success) throw new InvalidTokenFileError(source, describeIssues(result.error));
    const login = result.data.claudeAiOauth;
    const tokens: OAuthTokenSet = { access_token: login.accessToken, token_type: 'Bearer' };
    if (login.refreshToken !== undefined) tokens.refresh_token = login.refreshToken;
    if (login.expiresAt !== undefined) tokens.expires_at = toUnixSeconds(login.expiresAt);
    if (login.scopes !== undefined) tokens.scope = login.scopes.join(' ');
    return tokens;
  },
};
