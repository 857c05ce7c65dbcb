import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { type EnableCompileCache, loadCompiledBundle } from './compiled-bundle.js';

const body =
  "'use strict'; module.exports = { answer: 6 * 7, file: __filename, " +
  'strict: (function () { return this; })() === undefined, require: typeof ' +
  "require('node:path').join };\n";

describe('loadCompiledBundle', () => {
  let folder: string;
  let bundle: string;
  let caches: string;
  // Each load runs a copy at a new path: V8 keeps what it compiled in memory, keyed by source and
  // file name, and would answer a second load of the same file from there without reading the cache.
  // V8's cache through vm.Script, whatever Node runs the tests (see the last test for Node's own cache).
  const load = (env: NodeJS.ProcessEnv = {}, cacheDirectories = [caches], enableCompileCache?: EnableCompileCache) => {
    const copy = join(mkdtempSync(join(folder, 'run-')), 'bundle.cjs');
    copyFileSync(bundle, copy);
    const options = { kind: 'serve', cacheDirectories, saveAfterMilliseconds: 3_600_000, env, enableCompileCache };
    return loadCompiledBundle(copy, options);
  };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'switchyard-compiled-bundle-'));
    bundle = join(folder, 'bundle.cjs');
    caches = join(folder, 'compile-cache');
    writeFileSync(bundle, `// switchyard bundle ${'a'.repeat(32)}\n${body}`);
  });

  it('runs the bundle as a strict CommonJS module with its own require and __filename', () => {
    const loaded = load();
    expect(loaded.exports).toEqual({
      answer: 42,
      file: expect.stringMatching(/run-\w+\/bundle\.cjs$/),
      strict: true,
      require: 'function',
    });
    loaded.saveCache();
  });

  it('writes the cache once, 0600 in a 0700 folder, and the next start accepts it', () => {
    const first = load();
    expect(first.cache).toBe('missing');
    const written = first.saveCache();
    expect(written).toBe(join(caches, `${'a'.repeat(32)}-${process.version}-${process.arch}-serve.v8cache`));
    expect(first.saveCache()).toBeUndefined();
    expect(statSync(written!).mode & 0o777).toBe(0o600);
    expect(statSync(caches).mode & 0o777).toBe(0o700);
    expect(readdirSync(caches)).toEqual([`${'a'.repeat(32)}-${process.version}-${process.arch}-serve.v8cache`]);

    const second = load();
    expect(second.cache).toBe('accepted');
    expect(second.saveCache()).toBeUndefined();
    expect(second.exports).toMatchObject({ answer: 42 });
  });

  it('rejects a damaged cache, still runs, and rewrites it', () => {
    const written = load().saveCache()!;
    writeFileSync(written, Buffer.alloc(statSync(written).size, 7));
    const damaged = load();
    expect(damaged.cache).toBe('rejected');
    expect(damaged.exports).toMatchObject({ answer: 42 });
    expect(damaged.saveCache()).toBe(written);
    expect(load().cache).toBe('accepted');
  });

  it('keys the cache by the content hash, so a rebuilt bundle of the same length never meets stale code', () => {
    load().saveCache();
    writeFileSync(bundle, `// switchyard bundle ${'b'.repeat(32)}\n${body.replace('6 * 7', '7 * 6')}`);
    const rebuilt = load();
    expect(rebuilt.cache).toBe('missing');
    expect(rebuilt.saveCache()).toContain(`${'b'.repeat(32)}-`);
  });

  it('is off with SWITCHYARD_COMPILE_CACHE=0 and for a file without the build header', () => {
    const off = load({ SWITCHYARD_COMPILE_CACHE: '0' });
    expect(off.cache).toBe('disabled');
    expect(off.saveCache()).toBeUndefined();
    // Without the build's header the file may hold any UTF-8, not only ASCII.
    writeFileSync(bundle, body.replace('6 * 7', "'µs'.length * 21"));
    const unmarked = load();
    expect(unmarked.cache).toBe('disabled');
    expect(unmarked.exports).toMatchObject({ answer: 42 });
    expect(existsSync(caches)).toBe(false);
  });

  it('falls back to the next folder when the first cannot be written', () => {
    const blocked = join(folder, 'not-a-folder');
    writeFileSync(blocked, 'a file where the cache folder would go');
    const fallback = join(folder, 'user-cache');
    const written = load({}, [join(blocked, 'compile-cache'), fallback]).saveCache();
    expect(written?.startsWith(fallback)).toBe(true);
    expect(readFileSync(blocked, 'utf8')).toBe('a file where the cache folder would go');
    expect(load({}, [join(blocked, 'compile-cache'), fallback]).cache).toBe('accepted');
  });

  it('steps aside where Node has its own compile cache: requires the bundle, cached in the first usable folder', () => {
    const asked: string[] = [];
    const enable: EnableCompileCache = (directory) => {
      asked.push(directory);
      return directory === caches ? { directory } : {};
    };
    const refused = join(folder, 'refused');
    const loaded = load({}, [refused, caches], enable);
    expect(loaded.cache).toBe('node');
    expect(loaded.exports).toMatchObject({ answer: 42, strict: true, require: 'function' });
    expect(loaded.saveCache()).toBeUndefined();
    expect(asked).toEqual([refused, caches]);

    asked.length = 0;
    const off = load({ SWITCHYARD_COMPILE_CACHE: '0' }, [caches], enable);
    expect(off.cache).toBe('disabled');
    expect(asked).toEqual([]);
    expect(off.exports).toMatchObject({ answer: 42 });
  });
});
