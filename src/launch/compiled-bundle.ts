import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { constants, Script } from 'node:vm';
import { mapBundleStackTraces } from './bundle-stack-traces.js';

/**
 * Runs the one-file CommonJS bundle with V8's code cache: without it, compiling the bundle is a
 * large part of every start (bench/RESULTS.md has the measured difference), and Node 20 caches
 * nothing for ES modules or require(). The cache is written once per bundle, Node version,
 * architecture and kind of run, after the start has compiled what it needs, and read by every
 * later start. Where Node has its own cache for what require() compiles (module.enableCompileCache,
 * Node 22.1 and later), this steps aside: the bundle is required, with Node's cache enabled.
 */
export interface CompiledBundleOptions {
  /** What this process runs ('serve', 'commands'): each kind keeps the functions its own start compiled. */
  readonly kind: string;
  /** Folders for cache files in order of preference; the first that can be written is used. */
  readonly cacheDirectories?: readonly string[];
  /** When a long-running process saves the cache: late enough that its start has compiled. */
  readonly saveAfterMilliseconds?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Stack traces name src/ files through the map beside the bundle (the CLI; not tests, it is process-wide). */
  readonly mapStackTraces?: boolean;
  /** Node's module.enableCompileCache where it has one (Node 22.1 and later); tests pass their own. */
  readonly enableCompileCache?: EnableCompileCache | undefined;
}

/** Node's module.enableCompileCache: names the directory it caches in, when it could enable it. */
export type EnableCompileCache = (directory: string) => { directory?: string };

export interface CompiledBundle {
  readonly exports: unknown;
  /**
   * 'accepted', 'rejected' (stale or damaged, rewritten), 'missing' (written later), 'disabled', or
   * 'node' (Node's own compile cache, Node 22.1 and later).
   */
  readonly cache: 'accepted' | 'rejected' | 'missing' | 'disabled' | 'node';
  /** Writes the cache now if it is still due; returns the file written, if any. */
  saveCache(): string | undefined;
}

/** The build (scripts/bundle.mjs) opens the bundle with its content hash: V8 itself checks only the length. */
const bundleHeader = /^\/\/ switchyard bundle ([0-9a-f]{16,64})\n/;

export function loadCompiledBundle(file: string, options: CompiledBundleOptions): CompiledBundle {
  const env = options.env ?? process.env;
  const directories = options.cacheDirectories ?? defaultCacheDirectories(file, env);
  if (options.mapStackTraces === true) mapBundleStackTraces(file);
  const enableCompileCache = 'enableCompileCache' in options ? options.enableCompileCache : nodeEnableCompileCache;
  if (enableCompileCache !== undefined) {
    const usable = env.SWITCHYARD_COMPILE_CACHE === '0' ? [] : directories;
    return requireWithNodeCompileCache(file, usable, enableCompileCache);
  }
  const source = readSource(file);
  const hash = bundleHeader.exec(source)?.[1];
  const enabled = hash !== undefined && env.SWITCHYARD_COMPILE_CACHE !== '0';
  const cacheName = `${hash}-${process.version}-${process.arch}-${options.kind.replace(/[^\w-]/g, '_')}.v8cache`;
  const cachedData = enabled ? readFirst(directories, cacheName) : undefined;

  const script = new Script(Module.wrap(source), {
    filename: file,
    cachedData,
    // External `import()` calls in the bundle resolve as they would in a file Node loaded itself.
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cache = !enabled
    ? 'disabled'
    : cachedData === undefined
      ? 'missing'
      : script.cachedDataRejected === true
        ? 'rejected'
        : 'accepted';

  let due = cache === 'missing' || cache === 'rejected';
  const saveCache = (): string | undefined => {
    if (!due) return undefined;
    due = false;
    return writeFirst(directories, cacheName, script.createCachedData());
  };

  const bundleModule = new Module(file);
  bundleModule.filename = file;
  const wrapper = script.runInThisContext() as (...parameters: unknown[]) => void;
  wrapper.call(bundleModule.exports, bundleModule.exports, createRequire(file), bundleModule, file, dirname(file));
  bundleModule.loaded = true;

  if (due) {
    // Short commands exit before the timer: they save on the way out. Saving at all is best-effort.
    setTimeout(saveCache, options.saveAfterMilliseconds ?? 2_000).unref();
    process.once('exit', () => void saveCache());
  }
  return { exports: bundleModule.exports, cache, saveCache };
}

/** Node 22.1 and later (not in Node 20's types). */
const nodeEnableCompileCache = (Module as { enableCompileCache?: EnableCompileCache }).enableCompileCache;

/** The bundle through require(), Node caching what it compiles in the first of `directories` it can use. */
function requireWithNodeCompileCache(
  file: string,
  directories: readonly string[],
  enable: EnableCompileCache,
): CompiledBundle {
  const used = directories.find((directory) => enable(directory).directory !== undefined);
  const exports: unknown = createRequire(file)(file);
  return { exports, cache: used === undefined ? 'disabled' : 'node', saveCache: () => undefined };
}

/**
 * The build writes the bundle in ASCII behind its header (scripts/bundle.mjs): read as Latin-1,
 * it is copied rather than decoded as UTF-8 into a two-byte string. Any other file is UTF-8.
 */
function readSource(file: string): string {
  const bytes = readFileSync(file);
  return bytes.toString(bundleHeader.test(bytes.subarray(0, 128).toString('latin1')) ? 'latin1' : 'utf8');
}

/** Beside the bundle when that can be written (a checkout, a user's own install), else the user's cache folder. */
export function defaultCacheDirectories(file: string, env: NodeJS.ProcessEnv): string[] {
  const userCache =
    env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return [join(dirname(file), 'compile-cache'), join(userCache, 'switchyard', 'compile-cache')];
}

function readFirst(directories: readonly string[], name: string): Buffer | undefined {
  for (const directory of directories) {
    try {
      return readFileSync(join(directory, name));
    } catch {
      // Not cached in this folder.
    }
  }
  return undefined;
}

/** Atomic (a reader never sees half a cache), 0600 in a 0700 folder; a folder that refuses is skipped. */
function writeFirst(directories: readonly string[], name: string, data: Buffer): string | undefined {
  for (const directory of directories) {
    const target = join(directory, name);
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    try {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      writeFileSync(temporary, data, { mode: 0o600 });
      renameSync(temporary, target);
      return target;
    } catch {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // The folder itself is unusable: nothing was left in it.
      }
    }
  }
  return undefined;
}
