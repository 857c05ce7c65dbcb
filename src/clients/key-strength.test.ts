import { describe, expect, it } from 'vitest';
import { generateClientKey } from './key-hash.js';
import { guessableKeyProblem } from './key-strength.js';

describe('keys for a server other machines can reach', () => {
  it('refuses short and repetitive keys and accepts random ones', () => {
    expect(guessableKeyProblem('x')).toBe('is 1 character long (at least 32 needed)');
    expect(guessableKeyProblem('sk-switchyard-client-key')).toBe('is 24 characters long (at least 32 needed)');
    expect(guessableKeyProblem('ab'.repeat(20))).toBe(
      'repeats a few characters (2 different ones; a random key has many more)',
    );
    expect(guessableKeyProblem('3f9c1a7be04d6e2c8b5a9f0d1e7c3b6a')).toBeUndefined();
    expect(guessableKeyProblem(generateClientKey())).toBeUndefined();
  });
});
