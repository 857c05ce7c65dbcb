import { createHash } from 'node:crypto';
import { assertBucketName } from '../core/names.js';
import { toUnixSeconds } from './importers/token-importer.js';
import { isApiKeyReference, type OAuthTokenSet } from './token-file.js';
import type { TokenStore } from './token-store.js';

export type SeedOutcome =
  /** CLAUDE_ACCESS_TOKEN is not set. */
  | { action: 'none' }
  /** The bucket was written from the environment. */
  | { action: 'seeded'; bucket: string }
  /** The bucket already holds this seed's lineage (possibly rotated since): left alone. */
  | { action: 'kept'; bucket: string };

/**
 * Seeds an anthropic bucket from CLAUDE_ACCESS_TOKEN / CLAUDE_REFRESH_TOKEN / CLAUDE_EXPIRES_AT
 * (seconds or ms) / CLAUDE_BUCKET (default `default`) for headless use. A bucket that already
 * holds a set descended from the same seed is kept: its refresh token may have rotated, and
 * the stale one from the environment would be rejected.
 */
export async function seedFromEnvironment(store: TokenStore, environment: NodeJS.ProcessEnv): Promise<SeedOutcome> {
  const accessToken = environment.CLAUDE_ACCESS_TOKEN?.trim();
  if (!accessToken) return { action: 'none' };
  const bucket = assertBucketName(environment.CLAUDE_BUCKET?.trim() || 'default');
  const refreshToken = environment.CLAUDE_REFRESH_TOKEN?.trim() || undefined;
  // Without a refresh token nothing rotates, so the access token itself names the seed.
  const seed = sha256(refreshToken ?? accessToken);

  const existing = await store.read('anthropic', bucket);
  if (existing !== null && !isApiKeyReference(existing) && existing.seeded_from_env_sha256 === seed) {
    return { action: 'kept', bucket };
  }
  const tokens: OAuthTokenSet = { access_token: accessToken, token_type: 'Bearer', seeded_from_env_sha256: seed };
  if (refreshToken !== undefined) tokens.refresh_token = refreshToken;
  const expiresAt = parseExpiresAt(environment.CLAUDE_EXPIRES_AT);
  if (expiresAt !== undefined) tokens.expires_at = expiresAt;
  await store.write('anthropic', bucket, tokens);
  return { action: 'seeded', bucket };
}

function parseExpiresAt(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const number = Number(value.trim());
  if (!Number.isFinite(number) || number <= 0) {
    throw new Error(`CLAUDE_EXPIRES_AT must be a Unix time in seconds or milliseconds (got "${value.slice(0, 20)}").`);
  }
  return toUnixSeconds(number);
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
