/** The variable that holds the token encryption key. */
export const tokenKeyVariable = 'SWITCHYARD_TOKEN_KEY';
/** During a key rotation: the old key, still accepted for reading (files are rewritten with the new one). */
export const previousTokenKeyVariable = 'SWITCHYARD_TOKEN_KEY_PREVIOUS';

const keyBytes = 32;

/** What SWITCHYARD_TOKEN_KEY says: no encryption, a usable key, or a key that cannot be used (and why). */
export type TokenKeySetting =
  | { kind: 'none' }
  | {
      kind: 'key';
      key: Buffer /** Older keys that may still open files (rotation); never used to write. */;
      previous?: readonly Buffer[];
    }
  | { kind: 'malformed'; problem: string };

/**
 * Reads SWITCHYARD_TOKEN_KEY (32 bytes in base64, standard or URL-safe; empty means unset) and,
 * for a rotation, SWITCHYARD_TOKEN_KEY_PREVIOUS.
 */
export function readTokenKey(environment: NodeJS.ProcessEnv): TokenKeySetting {
  const value = environment[tokenKeyVariable]?.trim();
  if (!value) return { kind: 'none' };
  const current = parseTokenKey(value);
  const previousValue = environment[previousTokenKeyVariable]?.trim();
  if (current.kind !== 'key' || !previousValue) return current;
  const previous = parseTokenKey(previousValue, previousTokenKeyVariable);
  if (previous.kind !== 'key') return previous;
  return { kind: 'key', key: current.key, previous: [previous.key] };
}

/** Parses a base64 key; the problem text names `variable` and never repeats the value (it is a secret). */
export function parseTokenKey(value: string, variable = tokenKeyVariable): TokenKeySetting {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    return { kind: 'malformed', problem: `${variable} must be base64 (create one with: openssl rand -base64 32)` };
  }
  const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== keyBytes) {
    return {
      kind: 'malformed',
      problem:
        `${variable} must decode to ${keyBytes} bytes, not ${key.length} (create ` +
        `one with: openssl rand -base64 32)`,
    };
  }
  return { kind: 'key', key };
}
