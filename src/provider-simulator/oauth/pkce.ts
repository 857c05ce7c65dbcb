import { createHash } from 'node:crypto';

/** RFC 7636 section 4.1: 43-128 characters of the unreserved set. */
const verifierPattern = /^[A-Za-z0-9\-._~]{43,128}$/;

/** True when `verifier` is well formed and hashes (S256) to `challenge`. */
export function verifierMatches(verifier: string | undefined, challenge: string): boolean {
  if (verifier === undefined || !verifierPattern.test(verifier)) return false;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

/** An S256 challenge is the base64url of a SHA-256 digest: 43 characters. */
export function isS256Challenge(challenge: string | undefined): challenge is string {
  return challenge !== undefined && /^[A-Za-z0-9\-_]{43}$/.test(challenge);
}
