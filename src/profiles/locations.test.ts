import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { resolvePaths } from '../config/paths.js';
import { defaultExampleDirectory, profileLocations } from './index.js';

const roots: string[] = [];

async function packageRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'switchyard-package-'));
  roots.push(root);
  await writeFile(join(root, 'package.json'), '{}');
  return root;
}

afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

describe('finding the bundled examples', () => {
  it("finds the package's profiles/ folder from src/", () => {
    expect(defaultExampleDirectory()).toBe(join(import.meta.dirname, '..', '..', 'profiles'));
  });

  it('finds it from a built or bundled file, walking up to package.json', async () => {
    const root = await packageRoot();
    await mkdir(join(root, 'profiles'));
    await mkdir(join(root, 'dist', 'profiles'), { recursive: true });
    expect(defaultExampleDirectory(pathToFileURL(join(root, 'dist', 'profiles', 'locations.js')).href)).toBe(
      join(root, 'profiles'),
    );
    expect(defaultExampleDirectory(pathToFileURL(join(root, 'dist', 'cli.js')).href)).toBe(join(root, 'profiles'));
  });

  it('is undefined when the package has no profiles/ folder', async () => {
    const root = await packageRoot();
    expect(defaultExampleDirectory(pathToFileURL(join(root, 'dist', 'cli.js')).href)).toBeUndefined();
  });

  it("pairs the user's folder under SWITCHYARD_HOME with the examples", () => {
    expect(profileLocations(resolvePaths({ SWITCHYARD_HOME: '/tmp/home' }))).toEqual({
      userDirectory: '/tmp/home/profiles',
      exampleDirectory: defaultExampleDirectory(),
    });
  });
});
