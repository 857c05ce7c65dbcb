/**
 * The shortest key accepted on a server other machines can reach: 32 characters hold 128 bits
 * when they are hex, more in any richer alphabet, beyond what anyone can guess over a network.
 */
export const minimumExposedKeyLength = 32;

/** Fewer different characters than this means a pattern, not a random key ("aaaa...", "abab..."). */
const minimumDistinctCharacters = 8;

/** How to make a key that passes, for the refusal. */
export const keyAdvice = 'make one with `openssl rand -hex 32` (or `switchyard client add NAME`)';

/** Why `key` could be guessed, or undefined when it could not reasonably be. */
export function guessableKeyProblem(key: string): string | undefined {
  const length = [...key].length;
  if (length < minimumExposedKeyLength)
    return `is ${length} character${length === 1 ? '' : 's'} long (at least ${minimumExposedKeyLength} needed)`;
  if (new Set(key).size < minimumDistinctCharacters)
    return `repeats a few characters (${new Set(key).size} different ones; a random key has many more)`;
  return undefined;
}
