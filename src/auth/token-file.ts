import { z } from 'zod';
import { InvalidTokenFileError } from './invalid-token-file-error.js';

/** Set when a refresh token was rejected, so that it is never sent again (across restarts too). */
const needsLoginSchema = z.object({
  reason: z.string(),
  /** Unix seconds. */
  since: z.number(),
});

/** Unix seconds; anything past this is almost certainly milliseconds written by mistake. */
const latestPlausibleSeconds = 1e11;

/** An OAuth token set as stored in `SWITCHYARD_HOME/oauth/<provider>/<bucket>.json`. */
export const oauthTokenSetSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  /** Unix seconds. */
  expires_at: z.number().max(latestPlausibleSeconds, 'must be Unix seconds (this looks like milliseconds)').optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
  account_id: z.string().optional(),
  resource_url: z.string().optional(),
  project: z.string().optional(),
  needs_login: needsLoginSchema.optional(),
  /**
   * sha256 of the refresh token seeded from CLAUDE_REFRESH_TOKEN: marks the lineage so a rotated set is not clobbered.
   */
  seeded_from_env_sha256: z.string().optional(),
});

/** An API-key bucket: only the variable's name is stored, the key is read at run time. */
export const apiKeyReferenceSchema = z.strictObject({
  type: z.literal('api_key'),
  env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'),
});

export type OAuthTokenSet = z.infer<typeof oauthTokenSetSchema>;
export type ApiKeyReference = z.infer<typeof apiKeyReferenceSchema>;
export type StoredCredential = OAuthTokenSet | ApiKeyReference;

export function isApiKeyReference(credential: StoredCredential): credential is ApiKeyReference {
  return 'type' in credential && credential.type === 'api_key';
}

/** Validates a token file's parsed JSON; errors name `source` and the field, never a value. */
export function parseStoredCredential(json: unknown, source: string): StoredCredential {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InvalidTokenFileError(source, ['expected a JSON object']);
  }
  const type = (json as Record<string, unknown>).type;
  if (type !== undefined && type !== 'api_key') {
    throw new InvalidTokenFileError(source, ['field "type": expected "api_key" or no type (an OAuth token set)']);
  }
  const schema = type === 'api_key' ? apiKeyReferenceSchema : oauthTokenSetSchema;
  const result = schema.safeParse(json);
  if (!result.success) throw new InvalidTokenFileError(source, describeIssues(result.error));
  return result.data;
}

/** Turns zod issues into `field "a.b": message` lines (zod's messages state expectations, not values). */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    return field === '' ? issue.message : `field "${field}": ${issue.message}`;
  });
}

/** A token set with the fields that only describe past state removed (a fresh login or import). */
export function withoutLoginState(tokens: OAuthTokenSet): OAuthTokenSet {
  const { needs_login: _needsLogin, seeded_from_env_sha256: _seed, ...rest } = tokens;
  return rest;
}
