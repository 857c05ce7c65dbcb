import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompress } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';

/** Where Debian, Ubuntu and Fedora put their Chromium; the first one present is used. */
export const systemBrowserPaths = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** A Chromium to launch: its path and what its process needs in its environment. */
export interface FoundBrowser {
  executablePath: string;
  /** `system` or `bundled` (the one inside the @sparticuz/chromium package). */
  source: 'system' | 'bundled';
  /** Added to the browser process's environment (the bundled one's own libraries). */
  environment: Record<string, string>;
}

/**
 * The browser for the browser tests: the system's Chromium when there is one, else the Chromium
 * that `npm ci` brought inside @sparticuz/chromium (brotli-compressed in the package, so no
 * download and no install script), unpacked once into a cache folder with the NSS libraries it
 * links against, so it runs on a machine that has neither Chromium nor those libraries.
 * `SWITCHYARD_TEST_BROWSER=bundled` skips the system's, to prove the bundled one works here.
 */
export async function findBrowser(
  options: { systemPaths?: readonly string[]; cacheFolder?: string } = {},
): Promise<FoundBrowser> {
  const onlyBundled = process.env.SWITCHYARD_TEST_BROWSER === 'bundled';
  const systemPaths = options.systemPaths ?? (onlyBundled ? [] : systemBrowserPaths);
  const system = systemPaths.find(isExecutable);
  if (system !== undefined) return { executablePath: system, source: 'system', environment: {} };
  return unpackBundled(options.cacheFolder ?? join(tmpdir(), 'switchyard-test-browser'));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function unpackBundled(cacheFolder: string): Promise<FoundBrowser> {
  const packageFolder = bundledPackageFolder();
  if (packageFolder === undefined) {
    throw new Error(
      'No Chromium for the browser tests: none at ' +
        `${systemBrowserPaths.join(', ')}, and @sparticuz/chromium is not installed (run npm ci).`,
    );
  }
  const packageJson = join(packageFolder, 'package.json');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const packed = join(dirname(packageJson), 'bin');
  // One folder per package version: an upgrade unpacks afresh instead of reusing an older browser.
  const folder = join(cacheFolder, version);
  const executablePath = join(folder, 'chromium');
  const libraries = join(folder, 'lib');
  if (!existsSync(executablePath)) {
    await mkdir(cacheFolder, { recursive: true });
    // Unpacked beside, then renamed into place: test files running at once never see half a browser.
    const staging = `${folder}.${process.pid}.${Date.now()}`;
    await mkdir(staging, { recursive: true });
    try {
      await writeFile(join(staging, 'chromium'), await inflate(join(packed, 'chromium.br')), { mode: 0o755 });
      const archive = join(staging, 'al2023.tar');
      await writeFile(archive, await inflate(join(packed, 'al2023.tar.br')));
      await promisify(execFile)('tar', ['-xf', archive, '-C', staging]);
      await rm(archive);
      await rename(staging, folder).catch(async (error: NodeJS.ErrnoException) => {
        // Another test file unpacked it first: theirs is as good.
        if (!existsSync(executablePath)) throw error;
      });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  return { executablePath, source: 'bundled', environment: { LD_LIBRARY_PATH: libraries } };
}

/** The folder of the installed @sparticuz/chromium (its `exports` hide package.json from resolution). */
function bundledPackageFolder(): string | undefined {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
  for (let folder = dirname(entry); folder !== dirname(folder); folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@sparticuz/chromium'
    )
      return folder;
  }
  return undefined;
}

async function inflate(path: string): Promise<Buffer> {
  return promisify(brotliDecompress)(readFileSync(path));
}

/**
 * Launches the browser `findBrowser` picks (or `browser`), headless, with the flags a container's
 * root user needs and the test's own `args`.
 */
export async function launchTestBrowser(
  options: { browser?: FoundBrowser; args?: string[]; environment?: Record<string, string> } = {},
): Promise<Browser> {
  const browser = options.browser ?? (await findBrowser());
  return chromium.launch({
    executablePath: browser.executablePath,
    // As root in a container: no sandbox, no GPU, and /tmp rather than a small /dev/shm.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', ...(options.args ?? [])],
    // A set language: under LANG=C.UTF-8 the page's language is "en-US@posix", which Intl refuses
    // (uPlot formats its axes with `new Intl.NumberFormat(navigator.language)`).
    // `environment` overrides it (the locale test gives the browser the POSIX locale on purpose).
    env: { ...process.env, LANG: 'en_US.UTF-8', LANGUAGE: 'en_US', ...browser.environment, ...options.environment },
  });
}
