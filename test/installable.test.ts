import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/**
 * What `npm pack` makes is what users install: packed from this checkout (built by `npm test`),
 * installed into an empty folder with its dependencies from the npm registry, and run from there.
 */
describe('the packed package', () => {
  let folder: string;
  let installed: string;
  let home: string;
  let packed: string[];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'switchyard-installed-'));
    home = await mkdtemp(join(tmpdir(), 'switchyard-installed-home-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', folder], { cwd: root });
    packed = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((file) => file.path);
    const [tarball] = (await readdir(folder)).filter((name) => /^switchyard-.*\.tgz$/.test(name));
    await run('npm', ['install', '--no-audit', '--no-fund', `./${tarball}`], { cwd: folder });
    installed = join(folder, 'node_modules', 'switchyard');
  }, 180_000);

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it('installs into an empty folder and runs switchyard demo there', async () => {
    // The command npm linked, as a user's shell runs it.
    const { stdout, stderr } = await run(join(folder, 'node_modules', '.bin', 'switchyard'), ['demo', '--pause', '0'], {
      cwd: folder,
      env: { PATH: process.env.PATH, SWITCHYARD_HOME: home, CI: '1' },
    });
    expect(stderr).toBe('');
    expect(stdout).toMatch(/attempts: anthropic\/work1@company\.com:429,anthropic\/work2@company\.com:200/);
    expect(stdout).toMatch(/All OAuth buckets exhausted; the first one resets at \d{4}-\d\d-\d\dT/);
    expect(stdout).toContain('OAuth Bucket Statistics:');
  }, 60_000);

  it('ships what its commands and help refer to, and neither tests nor a compile cache', async () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'README.md',
        'SECURITY.md',
        'docs/simulator.md',
        'docs/translation.md',
        'profiles/ha-claude.yaml',
        'bin/switchyard.js',
        'dist/bundle/switchyard.cjs',
      ]),
    );
    expect(packed.filter((file) => file.includes('compile-cache') || file.endsWith('.test.js'))).toEqual([]);
    const { stdout } = await run(join(installed, 'bin', 'switchyard.js'), ['simulator', '--help'], {
      env: { PATH: process.env.PATH, SWITCHYARD_HOME: home },
    });
    expect(stdout).toContain('docs/simulator.md');
    expect(existsSync(join(installed, 'docs', 'simulator.md'))).toBe(true);
  });
});
