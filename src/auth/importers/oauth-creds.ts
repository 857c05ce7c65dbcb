import { z } from 'zod';
import { InvalidTokenFileError } from '../invalid-token-file-error.js';
import { describeIssues, type OAuthTokenSet } from '../token-file.js';
import { type TokenImporter, toUnixSeconds } from './token-importer.js';

/**
 * Gemini CLI's `~/.gemini/oauth_creds.json` (google-auth-library Credentials) and Qwen Code's
 * `~/.qwen/oauth_creds.json`, the same shape plus `resource_url` (the account's API host).
 * @see https://github.com/google-gemini/gemini-cli/blob/main/packages/core/src/code_assist/oauth2.ts
 * @see https://github.com/QwenLM/qwen-code/blob/main/packages/core/src/qwen/qwenOAuth2.ts
 */
const oauthCredsSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).nullable().optional(),
  /** Milliseconds. */
  expiry_date: z.number().positive().nullable().optional(),
  scope: z.string().optional(),
  token_type: z.string().nullable().optional(),
  resource_url: z.string().optional(),
  id_token: z.string().nullable().optional(),
});

export const oauthCredsImporter: TokenImporter = {
  name: 'Gemini CLI or Qwen Code oauth_creds.json (access_token, refresh_token, expiry_date in ms, resource_url)',
  providers: ['gemini', 'qwen'],
  detect: (json) => typeof json.access_token === 'string' && 'expiry_date' in json,
  parse(json, source) {
    const result = oauthCredsSchema.safeParse(json);
    if (!result.success) throw new InvalidTokenFileError(source, describeIssues(result.error));
    const value = result.data;
    const tokens: OAuthTokenSet = { access_token: value.access_token, token_type: value.token_type ?? 'Bearer' };
    if (value.refresh_token) tokens.refresh_token = value.refresh_token;
    if (value.expiry_date) tokens.expires_at = toUnixSeconds(value.expiry_date);
    if (value.scope !== undefined) tokens.scope = value.scope;
    if (value.resource_url !== undefined) tokens.resource_url = value.resource_url;
    return tokens;
  },
};
