import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SwitchyardPaths } from '../config/paths.js';
import type { ProfileLocations } from './types.js';

/**
 * The package's top-level `profiles/` folder: walks up from this module (src/profiles under
 * vitest, dist/ after build or bundling) to the folder holding package.json.
 */
export function defaultExampleDirectory(moduleUrl: string = import.meta.url): string | undefined {
  let directory = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (existsSync(join(directory, 'package.json'))) {
      const profiles = join(directory, 'profiles');
      return existsSync(profiles) ? profiles : undefined;
    }
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/** The user's profiles folder under SWITCHYARD_HOME, and the bundled examples. */
export function profileLocations(paths: SwitchyardPaths): ProfileLocations {
  return { userDirectory: paths.profiles, exampleDirectory: defaultExampleDirectory() };
}
