import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolvePaths, tokenFilePath } from '../config/paths.js';
import { writePrivateJson } from '../config/secure-files.js';
import { type TokenFolderWatch, watchTokenFolders } from './token-folder-watch.js';

let home: string | undefined;
let watch: TokenFolderWatch | undefined;

afterEach(async () => {
  watch?.close();
  watch = undefined;
  if (home) await rm(home, { recursive: true, force: true });
  home = undefined;
});

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('watchTokenFolders', () => {
  it('reports a token file written, rewritten and removed, even in folders that did not exist when it started', async () => {
    home = await mkdtemp(join(tmpdir(), 'switchyard-watch-'));
    const paths = resolvePaths({ SWITCHYARD_HOME: home });
    const seen: string[] = [];
    watch = watchTokenFolders({
      oauth: paths.oauth,
      onChange: (provider, bucket) => seen.push(`${provider}/${bucket}`),
    });
    const file = tokenFilePath(paths, 'qwen', 'work@example.com');

    await writePrivateJson(file, { access_token: 'first', expires_at: 1 });
    await until(() => seen.includes('qwen/work@example.com'));
    seen.length = 0;
    await writePrivateJson(file, { access_token: 'second', expires_at: 2 });
    await until(() => seen.includes('qwen/work@example.com'));
    seen.length = 0;
    await unlink(file);
    await until(() => seen.includes('qwen/work@example.com'));
    // Temporary files of atomic writes and lock folders are never reported as buckets.
    expect(seen.every((key) => key === 'qwen/work@example.com')).toBe(true);
  });

  it('reports nothing once closed', async () => {
    home = await mkdtemp(join(tmpdir(), 'switchyard-watch-'));
    const paths = resolvePaths({ SWITCHYARD_HOME: home });
    const seen: string[] = [];
    watch = watchTokenFolders({
      oauth: paths.oauth,
      onChange: (provider, bucket) => seen.push(`${provider}/${bucket}`),
      pollMs: 100,
    });
    await writePrivateJson(tokenFilePath(paths, 'gemini', 'before'), { access_token: 'a', expires_at: 1 });
    await until(() => seen.includes('gemini/before'));
    watch.close();
    seen.length = 0;
    await writePrivateJson(tokenFilePath(paths, 'gemini', 'after'), { access_token: 'b', expires_at: 1 });
    // Several poll periods: a poll or a watch still running would have reported it by then.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seen).toEqual([]);
  });
});
