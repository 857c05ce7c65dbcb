import { mkdir, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePaths, type SwitchyardPaths, tokenFilePath } from '../config/paths.js';
import { createFileRefreshLock } from './file-refresh-lock.js';
import { RefreshFailedError } from './refresh-failed-error.js';

let home: string;
let paths: SwitchyardPaths;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'switchyard-lock-'));
  paths = resolvePaths({ SWITCHYARD_HOME: home });
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('file refresh lock', () => {
  it('holds a lock beside the token file while the function runs, in a 0700 directory', async () => {
    const lockPath = `${tokenFilePath(paths, 'codex', 'team')}.lock`;
    const held = await createFileRefreshLock(paths).withLock('codex', 'team', async () =>
      (await stat(lockPath)).isDirectory(),
    );
    expect(held).toBe(true);
    await expect(stat(lockPath)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await stat(join(paths.oauth, 'codex'))).mode & 0o777).toBe(0o700);
  });

  it('serialises two holders of the same bucket', async () => {
    const first = createFileRefreshLock(paths);
    const second = createFileRefreshLock(paths);
    const events: string[] = [];
    const hold = (name: string) => async () => {
      events.push(`${name}:in`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push(`${name}:out`);
    };
    await Promise.all([first.withLock('codex', 'team', hold('a')), second.withLock('codex', 'team', hold('b'))]);
    expect([
      ['a:in', 'a:out', 'b:in', 'b:out'],
      ['b:in', 'b:out', 'a:in', 'a:out'],
    ]).toContainEqual(events);
  });

  it('takes over a stale lock left by a dead process', async () => {
    const lockPath = `${tokenFilePath(paths, 'anthropic', 'work1')}.lock`;
    await mkdir(lockPath, { recursive: true });
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPath, old, old);
    expect(await createFileRefreshLock(paths).withLock('anthropic', 'work1', async () => 'ran')).toBe('ran');
  });

  it('gives up on a lock held elsewhere with a retryable RefreshFailedError', async () => {
    const lockPath = `${tokenFilePath(paths, 'anthropic', 'work1')}.lock`;
    await mkdir(lockPath, { recursive: true });
    const lock = createFileRefreshLock(paths, { retries: { retries: 1, minTimeout: 1, maxTimeout: 1 } });
    const error = await lock.withLock('anthropic', 'work1', async () => 'ran').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RefreshFailedError);
    expect(error).toMatchObject({ isRetryable: true, errorCode: 'lock_timeout' });
    expect((error as Error).message).toContain(`waited too long for ${lockPath}`);
  });
});
