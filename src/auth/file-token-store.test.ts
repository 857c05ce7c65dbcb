import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePaths, type SwitchyardPaths, tokenFilePath } from '../config/paths.js';
import { CorruptFileError } from '../config/secure-files.js';
import { InvalidNameError } from '../core/names.js';
import { createFileTokenStore } from './file-token-store.js';
import { InvalidTokenFileError } from './invalid-token-file-error.js';
import { createMemoryTokenStore } from './memory-token-store.js';
import type { TokenStore } from './token-store.js';

let home: string;
let paths: SwitchyardPaths;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'switchyard-auth-'));
  paths = resolvePaths({ SWITCHYARD_HOME: home });
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const tokens = { access_token: 'access-1', refresh_token: 'refresh-1', expires_at: 1_900_000_000 };

describe('file token store', () => {
  it('writes 0600 files inside 0700 directories', async () => {
    const store = createFileTokenStore(paths);
    await store.write('anthropic', 'work1@company.com', tokens);
    const file = tokenFilePath(paths, 'anthropic', 'work1@company.com');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(file))).mode & 0o777).toBe(0o700);
    expect((await stat(paths.oauth)).mode & 0o777).toBe(0o700);
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(tokens);
  });

  it('leaves no temporary files behind after writes', async () => {
    const store = createFileTokenStore(paths);
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        store.write('codex', 'a', { ...tokens, access_token: `access-${index}` }),
      ),
    );
    expect(await readdir(join(paths.oauth, 'codex'))).toEqual(['a.json']);
  });

  it('reads a missing bucket as null', async () => {
    expect(await createFileTokenStore(paths).read('gemini', 'nobody')).toBeNull();
  });

  it('reports a corrupt file with its path and leaves it untouched', async () => {
    const store = createFileTokenStore(paths);
    const file = tokenFilePath(paths, 'anthropic', 'broken');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, '{"access_token": "secret-access",', { mode: 0o600 });
    const error = await store.read('anthropic', 'broken').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CorruptFileError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).not.toContain('secret-access');
    expect(await readFile(file, 'utf8')).toBe('{"access_token": "secret-access",');
  });

  it('reports a file of the wrong shape naming the file and field', async () => {
    const store = createFileTokenStore(paths);
    const file = tokenFilePath(paths, 'qwen', 'odd');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({ access_token: 42 }));
    const error = await store.read('qwen', 'odd').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidTokenFileError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain('field "access_token"');
  });

  it('lists only bucket files, not locks or temporary files', async () => {
    const store = createFileTokenStore(paths);
    await store.write('anthropic', 'b', tokens);
    await store.write('anthropic', 'a', { type: 'api_key', env: 'ANTHROPIC_API_KEY' });
    const directory = join(paths.oauth, 'anthropic');
    await mkdir(join(directory, 'a.json.lock'));
    await writeFile(join(directory, 'b.json.123456'), '{}');
    expect(await store.list('anthropic')).toEqual(['a', 'b']);
    expect(await store.list('openai')).toEqual([]);
  });

  it('deletes a bucket and says whether there was one', async () => {
    const store = createFileTokenStore(paths);
    await store.write('openai', 'key', { type: 'api_key', env: 'OPENAI_API_KEY' });
    expect(await store.delete('openai', 'key')).toBe(true);
    expect(await store.delete('openai', 'key')).toBe(false);
    expect(await store.read('openai', 'key')).toBeNull();
  });
});

describe.each<[string, () => TokenStore]>([
  ['file', () => createFileTokenStore(paths)],
  ['memory', () => createMemoryTokenStore()],
])('%s token store bucket names', (_kind, makeStore) => {
  it('refuses path-like bucket names before touching any path', async () => {
    const store = makeStore();
    for (const name of ['../escape', '..', 'a/b', '', 'x'.repeat(65)]) {
      await expect(store.write('anthropic', name, tokens)).rejects.toBeInstanceOf(InvalidNameError);
      await expect(store.read('anthropic', name)).rejects.toBeInstanceOf(InvalidNameError);
      await expect(store.delete('anthropic', name)).rejects.toBeInstanceOf(InvalidNameError);
    }
    expect(await readdir(home)).toEqual([]);
  });
});
