import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultExampleDirectory } from '../locations.js';
import type { ProfileLocations } from '../types.js';

/** Internal to tests: a fresh SWITCHYARD_HOME-like folder, with the bundled examples or a folder of test examples. */
export interface TemporaryProfiles {
  home: string;
  locations: ProfileLocations;
  /** Writes a hand-made profile file into the user's folder, returning its path. */
  writeUser(name: string, text: string): Promise<string>;
  /** Writes a file into the examples folder (only when created with own examples). */
  writeExample(name: string, text: string): Promise<string>;
}

const created: string[] = [];

/** Removes every folder made by temporaryProfiles (call from afterEach). */
export async function removeTemporaryProfiles(): Promise<void> {
  await Promise.all(created.splice(0).map((home) => rm(home, { recursive: true, force: true })));
}

export async function temporaryProfiles(examples: 'bundled' | 'own' | 'none' = 'bundled'): Promise<TemporaryProfiles> {
  const home = await mkdtemp(join(tmpdir(), 'switchyard-profiles-'));
  created.push(home);
  const exampleDirectory =
    examples === 'bundled' ? defaultExampleDirectory() : examples === 'own' ? join(home, 'examples') : undefined;
  const locations: ProfileLocations = { userDirectory: join(home, 'profiles'), exampleDirectory };
  const writeInto = async (directory: string | undefined, file: string, text: string): Promise<string> => {
    if (directory === undefined || (examples === 'bundled' && directory === exampleDirectory))
      throw new Error('test setup: no writable examples folder');
    await mkdir(directory, { recursive: true });
    const path = join(directory, /\.ya?ml$/.test(file) ? file : `${file}.yaml`);
    await writeFile(path, text);
    return path;
  };
  return {
    home,
    locations,
    writeUser: (name, text) => writeInto(locations.userDirectory, name, text),
    writeExample: (name, text) => writeInto(exampleDirectory, name, text),
  };
}
