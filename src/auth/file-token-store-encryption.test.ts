import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePaths, type SwitchyardPaths, tokenFilePath } from '../config/paths.js';
import { writePrivateJson } from '../config/secure-files.js';
import { describeBuckets } from './bucket-auth-status.js';
import { createFileTokenStore } from './file-token-store.js';
import { TokenDecryptionError } from './token-decryption-error.js';
import { tokenKeyId } from './token-encryption.js';
import { parseTokenKey, type TokenKeySetting } from './token-key.js';
import { TokenKeyError } from './token-key-error.js';

let home: string;
let paths: SwitchyardPaths;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'switchyard-encryption-'));
  paths = resolvePaths({ SWITCHYARD_HOME: home });
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const tokens = {
  access_token: 'secret-access',
  refresh_token: 'secret-refresh',
  expires_at: 1_900_000_000,
  scope: 'user:inference',
};
const newKey = (): TokenKeySetting => ({ kind: 'key', key: randomBytes(32) });

describe('file token store with SWITCHYARD_TOKEN_KEY', () => {
  it('writes an encrypted 0600 envelope that round-trips', async () => {
    const store = createFileTokenStore(paths, { encryption: newKey() });
    await store.write('codex', 'work', tokens);
    const file = tokenFilePath(paths, 'codex', 'work');
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('secret');
    expect(JSON.parse(text)).toMatchObject({ switchyard_encrypted: 1, cipher: 'aes-256-gcm' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await store.read('codex', 'work')).toEqual(tokens);
  });

  it('reads plaintext files and encrypts them on their next write', async () => {
    const file = tokenFilePath(paths, 'anthropic', 'old');
    await writePrivateJson(file, tokens);
    const store = createFileTokenStore(paths, { encryption: newKey() });
    expect(await store.read('anthropic', 'old')).toEqual(tokens);
    await store.write('anthropic', 'old', { ...tokens, access_token: 'secret-access-2' });
    expect(await readFile(file, 'utf8')).not.toContain('secret');
    expect(await store.read('anthropic', 'old')).toMatchObject({ access_token: 'secret-access-2' });
  });

  it('rotates keys: files of the previous key still read, and are written with the new key', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    await createFileTokenStore(paths, { encryption: { kind: 'key', key: oldKey } }).write('codex', 'a', tokens);
    const rotating = createFileTokenStore(paths, { encryption: { kind: 'key', key: newKey, previous: [oldKey] } });
    expect(await rotating.read('codex', 'a')).toEqual(tokens);
    await rotating.write('codex', 'a', tokens);
    expect(JSON.parse(await readFile(tokenFilePath(paths, 'codex', 'a'), 'utf8'))).toMatchObject({
      key_id: tokenKeyId(newKey),
    });
    expect(await createFileTokenStore(paths, { encryption: { kind: 'key', key: newKey } }).read('codex', 'a')).toEqual(
      tokens,
    );
  });

  it('refuses a wrong key with a message naming the file, and leaves the file untouched', async () => {
    await createFileTokenStore(paths, { encryption: newKey() }).write('gemini', 'me', tokens);
    const file = tokenFilePath(paths, 'gemini', 'me');
    const before = await readFile(file, 'utf8');
    const store = createFileTokenStore(paths, { encryption: newKey() });
    const error = await store.read('gemini', 'me').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenDecryptionError);
    expect((error as TokenDecryptionError).reason).toBe('wrong-key');
    expect((error as Error).message).toContain(`${file} was encrypted with a different key`);
    expect((error as Error).message).toContain('set SWITCHYARD_TOKEN_KEY to the key it was written with');
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('refuses to read an encrypted file without the key, and auth status shows it as unreadable', async () => {
    await createFileTokenStore(paths, { encryption: newKey() }).write('qwen', 'q', tokens);
    await createFileTokenStore(paths, { encryption: { kind: 'none' } }).write('qwen', 'plain', tokens);
    const store = createFileTokenStore(paths, { encryption: { kind: 'none' } });
    const file = tokenFilePath(paths, 'qwen', 'q');
    await expect(store.read('qwen', 'q')).rejects.toThrow(`${file} is encrypted, but SWITCHYARD_TOKEN_KEY is not set.`);
    const statuses = await describeBuckets(store, 'qwen', {}, Date.parse('2026-01-01T00:00:00Z'));
    expect(statuses.map((status) => [status.bucket, status.status])).toEqual([
      ['plain', 'ok'],
      ['q', 'unreadable'],
    ]);
    expect(statuses[1]!.error).toContain('SWITCHYARD_TOKEN_KEY is not set');
  });

  it('refuses to write with a malformed key rather than writing tokens in the clear', async () => {
    const store = createFileTokenStore(paths, { encryption: parseTokenKey('dG9vIHNob3J0') });
    const file = tokenFilePath(paths, 'anthropic', 'a');
    const error = await store.write('anthropic', 'a', tokens).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenKeyError);
    expect((error as Error).message).toBe(
      `SWITCHYARD_TOKEN_KEY must decode to 32 bytes, not 9 (create one with: ` +
        `openssl rand -base64 32); ${file} was not written.`,
    );
    await expect(stat(file)).rejects.toThrow();
  });
});
