/** The variable that holds the token encryption key. */
export const tokenKeyVariable = 'SWITCHYARD_TOKEN_KEY';

const keyBytes = 32;

/** What SWITCHYARD_TOKEN_KEY says: no encryption, a usable key, or a key that cannot be used (and why). */
export type TokenKeySetting =
  | { kind: 'none' }
  | { kind: 'key'; key: Buffer }
  | { kind: 'malformed'; problem: string };

/** Reads SWITCHYARD_TOKEN_KEY: 32 bytes in base64 (standard or URL-safe); empty means unset. */
export function readTokenKey(environment: NodeJS.ProcessEnv): TokenKeySetting {
  const value = environment[tokenKeyVariable]?.trim();
  if (!value) return { kind: 'none' };
  return parseTokenKey(value);
}

/** Parses a base64 key; the problem text never repeats the value (it is a secret). */
export function parseTokenKey(value: string): TokenKeySetting {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    return { kind: 'malformed', problem: `${tokenKeyVariable} must be base64 (create one with: openssl rand -base64 32)` };
  }
  const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== keyBytes) {
    return { kind: 'malformed', problem: `${tokenKeyVariable} must decode to ${keyBytes} bytes, not ${key.length} (create one with: openssl rand -base64 32)` };
  }
  return { kind: 'key', key };
}
