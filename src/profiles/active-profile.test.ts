import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePaths, type SwitchyardPaths } from '../config/paths.js';
import { CorruptFileError } from '../config/secure-files.js';
import { InvalidNameError } from '../core/names.js';
import { readActiveProfile, writeActiveProfile } from './index.js';

let paths: SwitchyardPaths;

beforeEach(async () => {
  paths = resolvePaths({ SWITCHYARD_HOME: join(await mkdtemp(join(tmpdir(), 'switchyard-state-')), 'home') });
});

afterEach(async () => {
  await rm(dirname(paths.home), { recursive: true, force: true });
});

describe('the active profile', () => {
  it('is undefined until one is loaded', async () => {
    expect(await readActiveProfile(paths)).toBeUndefined();
  });

  it('is stored in state.json (0600), keeping other keys', async () => {
    await writeActiveProfile(paths, 'ha-claude');
    expect(await readActiveProfile(paths)).toBe('ha-claude');
    expect((await stat(paths.state)).mode & 0o777).toBe(0o600);
    await writeFile(paths.state, JSON.stringify({ activeProfile: 'ha-claude', later: 1 }));
    await writeActiveProfile(paths, 'team-claude');
    expect(JSON.parse(await readFile(paths.state, 'utf8'))).toEqual({ activeProfile: 'team-claude', later: 1 });
  });

  it('refuses a bad name, and ignores one written into the file by hand', async () => {
    await expect(writeActiveProfile(paths, '../x')).rejects.toThrow(InvalidNameError);
    await writeActiveProfile(paths, 'fine');
    await writeFile(paths.state, JSON.stringify({ activeProfile: '../../etc/passwd' }));
    expect(await readActiveProfile(paths)).toBeUndefined();
  });

  it('reports a corrupt state.json and leaves it untouched', async () => {
    await writeActiveProfile(paths, 'fine');
    await writeFile(paths.state, '{ not json');
    await expect(readActiveProfile(paths)).rejects.toThrow(CorruptFileError);
    await expect(writeActiveProfile(paths, 'other')).rejects.toThrow(`${paths.state} is not valid JSON`);
    expect(await readFile(paths.state, 'utf8')).toBe('{ not json');
  });
});
