import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's top-level `profiles/` folder, found from this file in src/ or dist/. */
export function defaultExampleDirectory(): string | undefined {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    if (existsSync(join(directory, 'package.json'))) {
      const profiles = join(directory, 'profiles');
      return existsSync(profiles) ? profiles : undefined;
    }
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  return undefined;
}
