import { createHash, randomBytes } from 'node:crypto';

/**
 * The stored form of a client key. Unsalted SHA-256 is enough because switchyard's keys are
 * 32 random bytes (see generateClientKey): there is nothing to guess, and it keeps the check
 * per request to one hash.
 */
export function hashClientKey(key: string): string {
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** A new random client key, `sy-` and 43 URL-safe characters. */
export function generateClientKey(): string {
  return `sy-${randomBytes(32).toString('base64url')}`;
}
