import { z } from 'zod';
import { InvalidTokenFileError } from '../invalid-token-file-error.js';
import { describeIssues, type OAuthTokenSet } from '../token-file.js';
import { type TokenImporter, toUnixSeconds } from './token-importer.js';

const camelCaseSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  /** Seconds or milliseconds. */
  expiresAt: z.number().positive().optional(),
  scope: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  tokenType: z.string().optional(),
  accountId: z.string().optional(),
  resourceUrl: z.string().optional(),
  project: z.string().optional(),
});

/** The `{ accessToken, refreshToken, expiresAt }` form several tools and scripts write. */
export const camelCaseImporter: TokenImporter = {
  name: 'camelCase token set (accessToken, refreshToken, expiresAt in ms or s)',
  detect: (json) => typeof json.accessToken === 'string',
  parse(json, source) {
    const result = camelCaseSchema.safeParse(json);
    if (!result.success) throw new InvalidTokenFileError(source, describeIssues(result.error));
    const value = result.data;
    const tokens: OAuthTokenSet = { access_token: value.accessToken };
    if (value.refreshToken !== undefined) tokens.refresh_token = value.refreshToken;
    if (value.expiresAt !== undefined) tokens.expires_at = toUnixSeconds(value.expiresAt);
    const scope = value.scope ?? value.scopes?.join(' ');
    if (scope !== undefined) tokens.scope = scope;
    if (value.tokenType !== undefined) tokens.token_type = value.tokenType;
    if (value.accountId !== undefined) tokens.account_id = value.accountId;
    if (value.resourceUrl !== undefined) tokens.resource_url = value.resourceUrl;
    if (value.project !== undefined) tokens.project = value.project;
    return tokens;
  },
};
