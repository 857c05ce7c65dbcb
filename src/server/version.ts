import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package version, read once from switchyard's package.json: walks up from this module,
 * which sits in src/server under vitest, dist/server after build, or a bundle chunk.
 */
export const packageVersion: string = (() => {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'switchyard' && manifest.version !== undefined) return manifest.version;
    } catch {
      // No readable package.json here: keep walking up.
    }
    const parent = dirname(directory);
    if (parent === directory) return '0.0.0';
    directory = parent;
  }
})();
