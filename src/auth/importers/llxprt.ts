import { z } from 'zod';
import { InvalidTokenFileError } from '../invalid-token-file-error.js';
import { describeIssues, type OAuthTokenSet } from '../token-file.js';
import { type TokenImporter, toUnixSeconds } from './token-importer.js';

/**
 * llxprt-code's plaintext token files, `~/.llxprt/oauth/<provider>.json` (and
 * `<provider>-<bucket>.json`), written before it moved tokens to the keyring.
 * @see https://github.com/vybestack/llxprt-code/blob/main/docs/oauth-setup.md
 */
const llxprtSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  /** Unix seconds. */
  expiry: z.number().positive(),
  token_type: z.string().optional(),
  scope: z.string().nullable().optional(),
  resource_url: z.string().optional(),
  account_id: z.string().optional(),
});

export const llxprtImporter: TokenImporter = {
  name: 'llxprt-code oauth/<provider>.json (access_token, refresh_token, expiry in s)',
  detect: (json) => typeof json.access_token === 'string' && 'expiry' in json && !('expires_at' in json),
  parse(json, source) {
    const result = llxprtSchema.safeParse(json);
    if (!result.success) throw new InvalidTokenFileError(source, describeIssues(result.error));
    const value = result.data;
    const tokens: OAuthTokenSet = {
      access_token: value.access_token,
      token_type: value.token_type ?? 'Bearer',
      expires_at: toUnixSeconds(value.expiry),
    };
    if (value.refresh_token !== undefined) tokens.refresh_token = value.refresh_token;
    if (value.scope) tokens.scope = value.scope;
    if (value.resource_url !== undefined) tokens.resource_url = value.resource_url;
    if (value.account_id !== undefined) tokens.account_id = value.account_id;
    return tokens;
  },
};
