import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenDecryptionError } from './token-decryption-error.js';
import { decryptTokenJson, encryptTokenJson, isEncryptedEnvelope, tokenKeyId } from './token-encryption.js';
import { parseTokenKey, readTokenKey, type TokenKeySetting } from './token-key.js';

const tokens = {
  access_token: 'secret-access-token',
  refresh_token: 'secret-refresh-token',
  expires_at: 1_900_000_000,
};
const keyOf = (key: Buffer): TokenKeySetting => ({ kind: 'key', key });

function decryptionError(action: () => unknown): TokenDecryptionError {
  try {
    action();
  } catch (error) {
    if (error instanceof TokenDecryptionError) return error;
    throw error;
  }
  throw new Error('expected a TokenDecryptionError');
}

describe('token encryption', () => {
  it('round-trips a token set, with a fresh IV each time and no token text in the envelope', () => {
    const key = randomBytes(32);
    const first = encryptTokenJson(tokens, key);
    const second = encryptTokenJson(tokens, key);
    expect(isEncryptedEnvelope(first)).toBe(true);
    expect(first.switchyard_encrypted).toBe(1);
    expect(first.cipher).toBe('aes-256-gcm');
    expect(first.iv).not.toBe(second.iv);
    expect(first.ciphertext).not.toBe(second.ciphertext);
    expect(JSON.stringify(first)).not.toContain('secret');
    expect(decryptTokenJson(first, keyOf(key), 'f.json')).toEqual(tokens);
    expect(decryptTokenJson(JSON.parse(JSON.stringify(second)), keyOf(key), 'f.json')).toEqual(tokens);
  });

  it('refuses a wrong key, naming the source, both key ids and the fix', () => {
    const key = randomBytes(32);
    const other = randomBytes(32);
    const error = decryptionError(() =>
      decryptTokenJson(encryptTokenJson(tokens, key), keyOf(other), '/home/u/.switchyard/oauth/codex/a.json'),
    );
    expect(error.reason).toBe('wrong-key');
    expect(error.message).toBe(
      `/home/u/.switchyard/oauth/codex/a.json was encrypted with a different ` +
        `key (key id ${tokenKeyId(key)}; SWITCHYARD_TOKEN_KEY has key id ` +
        `${tokenKeyId(other)}). It was left untouched; set SWITCHYARD_TOKEN_KEY ` +
        `to the key it was written with, or log in to this bucket again.`,
    );
  });

  it('refuses a missing key and a malformed key with the fix', () => {
    const envelope = encryptTokenJson(tokens, randomBytes(32));
    const missing = decryptionError(() => decryptTokenJson(envelope, { kind: 'none' }, 'a.json'));
    expect(missing.reason).toBe('missing-key');
    expect(missing.message).toBe(
      'a.json is encrypted, but SWITCHYARD_TOKEN_KEY is not set. It was left ' +
        'untouched; set SWITCHYARD_TOKEN_KEY to the key it was written with.',
    );
    const malformed = decryptionError(() => decryptTokenJson(envelope, parseTokenKey('c2hvcnQ='), 'a.json'));
    expect(malformed.reason).toBe('malformed-key');
    expect(malformed.message).toBe(
      'a.json is encrypted, but SWITCHYARD_TOKEN_KEY is not a usable key ' +
        '(SWITCHYARD_TOKEN_KEY must decode to 32 bytes, not 5 (create one with: ' +
        'openssl rand -base64 32)). It was left untouched; set ' +
        'SWITCHYARD_TOKEN_KEY to the 32-byte base64 key it was written with.',
    );
  });

  it('detects altered ciphertext, a shortened tag and an unknown version', () => {
    const key = randomBytes(32);
    const envelope = encryptTokenJson(tokens, key);
    const flipped = Buffer.from(envelope.ciphertext, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(
      decryptionError(() =>
        decryptTokenJson({ ...envelope, ciphertext: flipped.toString('base64') }, keyOf(key), 'a.json'),
      ).reason,
    ).toBe('damaged');
    const shortTag = Buffer.from(envelope.tag, 'base64').subarray(0, 4).toString('base64');
    expect(decryptionError(() => decryptTokenJson({ ...envelope, tag: shortTag }, keyOf(key), 'a.json')).reason).toBe(
      'damaged',
    );
    expect(decryptionError(() => decryptTokenJson({ ...envelope, iv: 'AAAA' }, keyOf(key), 'a.json')).reason).toBe(
      'damaged',
    );
    const future = decryptionError(() =>
      decryptTokenJson({ ...envelope, switchyard_encrypted: 2 }, keyOf(key), 'a.json'),
    );
    expect(future.reason).toBe('unsupported-version');
    expect(future.message).toBe(
      'a.json uses an encryption format this switchyard does not know ' +
        '(switchyard_encrypted: 2). It was left untouched; upgrade switchyard, or ' +
        'log in to this bucket again.',
    );
    const damaged = decryptionError(() => decryptTokenJson({ switchyard_encrypted: 1 }, keyOf(key), 'a.json'));
    expect(damaged.message).toBe(
      'a.json is encrypted but fails its integrity check (altered or damaged). ' +
        'It was left untouched; restore it from a backup or log in to this bucket ' +
        'again.',
    );
  });
});

describe('key rotation', () => {
  it('opens envelopes of SWITCHYARD_TOKEN_KEY_PREVIOUS while the new key writes', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const setting = readTokenKey({
      SWITCHYARD_TOKEN_KEY: newKey.toString('base64'),
      SWITCHYARD_TOKEN_KEY_PREVIOUS: oldKey.toString('base64'),
    });
    expect(setting).toEqual({ kind: 'key', key: newKey, previous: [oldKey] });
    expect(decryptTokenJson(encryptTokenJson(tokens, oldKey), setting, 'a.json')).toEqual(tokens);
    expect(decryptTokenJson(encryptTokenJson(tokens, newKey), setting, 'a.json')).toEqual(tokens);
    expect(
      decryptionError(() => decryptTokenJson(encryptTokenJson(tokens, randomBytes(32)), setting, 'a.json')).reason,
    ).toBe('wrong-key');
  });

  it('refuses a malformed previous key by name', () => {
    expect(
      readTokenKey({
        SWITCHYARD_TOKEN_KEY: randomBytes(32).toString('base64'),
        SWITCHYARD_TOKEN_KEY_PREVIOUS: 'c2hvcnQ=',
      }),
    ).toEqual({
      kind: 'malformed',
      problem:
        'SWITCHYARD_TOKEN_KEY_PREVIOUS must decode to 32 bytes, not 5 (create one with: openssl rand -base64 32)',
    });
  });
});

describe('SWITCHYARD_TOKEN_KEY', () => {
  it('accepts 32 bytes of standard or URL-safe base64, and treats empty as unset', () => {
    const key = randomBytes(32);
    expect(readTokenKey({ SWITCHYARD_TOKEN_KEY: key.toString('base64') })).toEqual({ kind: 'key', key });
    expect(readTokenKey({ SWITCHYARD_TOKEN_KEY: ` ${key.toString('base64url')}\n` })).toEqual({ kind: 'key', key });
    expect(readTokenKey({})).toEqual({ kind: 'none' });
    expect(readTokenKey({ SWITCHYARD_TOKEN_KEY: '  ' })).toEqual({ kind: 'none' });
  });

  it('describes a malformed key without repeating it', () => {
    expect(readTokenKey({ SWITCHYARD_TOKEN_KEY: 'not a key!' })).toEqual({
      kind: 'malformed',
      problem: 'SWITCHYARD_TOKEN_KEY must be base64 (create one with: openssl rand -base64 32)',
    });
    expect(readTokenKey({ SWITCHYARD_TOKEN_KEY: randomBytes(16).toString('base64') })).toEqual({
      kind: 'malformed',
      problem: 'SWITCHYARD_TOKEN_KEY must decode to 32 bytes, not 16 (create one with: openssl rand -base64 32)',
    });
  });
});
