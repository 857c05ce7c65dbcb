import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file the dashboard loads, read once and kept in memory. */
export interface DashboardAsset {
  body: Buffer;
  contentType: string;
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The package folder (holding package.json): walks up from this module, which is src/server under
 * vitest and dist/ after the build or bundling, as the bundled example profiles are found.
 */
function packageDirectory(moduleUrl: string): string {
  let directory = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) throw new Error('switchyard cannot find its package folder (package.json)');
    directory = parent;
  }
}

/**
 * Every file under /dashboard/assets/ by name, and where it comes from: the page's own files in
 * the package's assets/dashboard/, and the chart library from node_modules, so nothing is fetched
 * from a CDN. A fixed list: the route never turns a request path into a file path.
 */
function assetFiles(moduleUrl: string): Map<string, string> {
  const root = packageDirectory(moduleUrl);
  const own = join(root, 'assets', 'dashboard');
  const resolve = createRequire(join(root, 'package.json')).resolve;
  const files = new Map<string, string>([
    ['uplot.js', resolve('uplot/dist/uPlot.iife.min.js')],
    ['uplot.css', resolve('uplot/dist/uPlot.min.css')],
  ]);
  for (const name of ownAssetNames) files.set(name, join(own, name));
  return files;
}

/** The page's own files in assets/dashboard/ (a test checks this list against the folder). */
export const ownAssetNames = [
  'dashboard.css',
  'dashboard.js',
  'locale-guard.js',
  'common.js',
  'overview.js',
  'charts.js',
  'requests.js',
  'usage.js',
  'buckets.js',
  'bucket-controls.js',
  'keyed-rows.js',
  'forms.js',
  'login-form.js',
  'profile-forms.js',
  'quota.js',
];

/** Serves the dashboard's files from memory after their first read. */
export class DashboardAssets {
  private files: Map<string, string> | undefined;
  private readonly loaded = new Map<string, Promise<DashboardAsset>>();

  constructor(private readonly moduleUrl: string = import.meta.url) {}

  /** The asset called `name`, or undefined when there is no such asset. */
  get(name: string): Promise<DashboardAsset> | undefined {
    this.files ??= assetFiles(this.moduleUrl);
    const path = this.files.get(name);
    if (path === undefined) return undefined;
    let asset = this.loaded.get(name);
    if (asset === undefined) {
      const contentType = contentTypes[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';
      asset = readFile(path).then((body) => ({ body, contentType }));
      // A failed read is tried again next time rather than remembered.
      asset.catch(() => this.loaded.delete(name));
      this.loaded.set(name, asset);
    }
    return asset;
  }
}
