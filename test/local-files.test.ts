import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePaths, type SwitchyardPaths, tokenFilePath } from '../src/config/paths.js';
import { writePrivateJson } from '../src/config/secure-files.js';
import { createHarness, type Harness } from './support/harness.js';
import { runBinary } from './support/run-binary.js';

/**
 * What another local user (or a careless set-up) can do with links and folders under
 * SWITCHYARD_HOME: switchyard never writes or changes modes through a link, and a folder it
 * cannot read is reported, not answered with a 500. Through the real binary.
 */
let scratch: string;
let paths: SwitchyardPaths;
let harness: Harness | undefined;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'switchyard-files-'));
  paths = resolvePaths({ SWITCHYARD_HOME: join(scratch, 'home') });
  await mkdir(paths.home, { mode: 0o700 });
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await rm(scratch, { recursive: true, force: true });
});

const tokens = { access_token: 'sim-at-new', refresh_token: 'sim-rt-new', expires_at: 1_890_000_000 };

async function importTokens(bucket: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = join(scratch, 'import.json');
  await writeFile(file, JSON.stringify(tokens));
  return runBinary(['auth', 'anthropic', 'import', bucket, '--from', file], {
    SWITCHYARD_HOME: paths.home,
    HOME: scratch,
  });
}

function linkMessage(path: string): string {
  return (
    `${path} is a symbolic link; switchyard does not follow links where it keeps its files, ` +
    `since a link would send tokens or mode changes outside SWITCHYARD_HOME. Replace it with ` +
    `the real file or folder (or point SWITCHYARD_HOME at the real folder).`
  );
}

describe('links and folders under SWITCHYARD_HOME', () => {
  it('refuses an oauth folder that is a link to a shared folder, leaving its mode and contents alone', async () => {
    const shared = join(scratch, 'shared');
    await mkdir(shared);
    await chmod(shared, 0o755);
    await symlink(shared, paths.oauth);

    const result = await importTokens('work');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(linkMessage(paths.oauth));
    expect((await stat(shared)).mode & 0o777).toBe(0o755);
    expect(await readdir(shared)).toEqual([]);
  });

  it('refuses to overwrite a token file that links outside SWITCHYARD_HOME, and reports it as unreadable', async () => {
    const outside = join(scratch, 'someone-elses.json');
    await writeFile(outside, '{"keep": "me"}');
    await mkdir(join(paths.oauth, 'anthropic'), { recursive: true, mode: 0o700 });
    const linked = tokenFilePath(paths, 'anthropic', 'work');
    await symlink(outside, linked);

    const result = await importTokens('work');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(linkMessage(linked));
    expect(await readFile(outside, 'utf8')).toBe('{"keep": "me"}');

    const status = await runBinary(['auth', 'anthropic', 'status', '--json'], { SWITCHYARD_HOME: paths.home });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual({
      provider: 'anthropic',
      buckets: [
        { bucket: 'work', kind: 'oauth', status: 'unreadable', hasRefreshToken: false, error: linkMessage(linked) },
      ],
    });
  });

  it('answers /auth/{provider}/status for a provider folder it cannot read with the folder reported unreadable', async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'work');
    // A file where the folder should be: readdir fails (ENOTDIR) as it would on a folder of another owner (EACCES).
    const folder = join(harness.paths.oauth, 'gemini');
    await writeFile(folder, 'not a folder');
    const { url } = await harness.startRouter();

    const answer = await fetch(`${url}/auth/gemini/status`);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { provider: string; buckets: Record<string, unknown>[] };
    expect(body.provider).toBe('gemini');
    expect(body.buckets).toHaveLength(1);
    expect(body.buckets[0]).toMatchObject({ bucket: '*', status: 'unreadable', authenticated: false });
    expect(body.buckets[0]!.error).toBe(
      `${folder} cannot be read (ENOTDIR), so its buckets cannot be listed; it should be this ` +
        `user's folder with mode 0700 (chmod 700 ${folder}).`,
    );

    const named = await fetch(`${url}/auth/gemini/status?bucket=personal`);
    expect(named.status).toBe(200);
    expect(((await named.json()) as { buckets: unknown[] }).buckets).toEqual([
      expect.objectContaining({ bucket: 'personal', status: 'unreadable' }),
    ]);
    // The other providers are untouched.
    const fine = await fetch(`${url}/auth/anthropic/status`);
    expect(((await fine.json()) as { buckets: unknown[] }).buckets).toEqual([
      expect.objectContaining({ bucket: 'work', status: 'ok' }),
    ]);
  });
});

describe('serve with links in SWITCHYARD_HOME', () => {
  it('refuses to start in a SWITCHYARD_HOME that is a link, and exits', async () => {
    const real = join(scratch, 'real-home');
    await mkdir(real, { mode: 0o755 });
    const linkedHome = join(scratch, 'linked-home');
    await symlink(real, linkedHome);
    const result = await runBinary(['serve', '--port', '0'], { SWITCHYARD_HOME: linkedHome, HOME: scratch });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`switchyard: ${linkMessage(linkedHome)}\n`);
    expect((await stat(real)).mode & 0o777).toBe(0o755);
    expect(await readdir(real)).toEqual([]);
  });

  it('stops listening and exits when server.json is a link, rather than writing through it', async () => {
    const outside = join(scratch, 'outside.json');
    await writeFile(outside, '{"keep": "me"}');
    await symlink(outside, paths.server);
    const result = await runBinary(['serve', '--port', '0'], { SWITCHYARD_HOME: paths.home, HOME: scratch });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `switchyard: Cannot record the running server in ${paths.server}: ${linkMessage(paths.server)}\n`,
    );
    expect(await readFile(outside, 'utf8')).toBe('{"keep": "me"}');
  });
});

describe('the legacy layout migration', () => {
  it('never renames over an earlier superseded file: each older copy keeps its refresh token', async () => {
    await writePrivateJson(join(paths.oauth, 'gemini.json.superseded'), { access_token: 'a', refresh_token: 'first' });
    await writePrivateJson(join(paths.oauth, 'gemini.json'), { access_token: 'b', refresh_token: 'second' });
    await writePrivateJson(tokenFilePath(paths, 'gemini', 'default'), { access_token: 'c', refresh_token: 'third' });

    const result = await runBinary(['auth', 'gemini', 'status'], { SWITCHYARD_HOME: paths.home });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `switchyard: ${tokenFilePath(paths, 'gemini', 'default')} already exists, so the older ` +
        `${join(paths.oauth, 'gemini.json')} was not used; it was renamed ` +
        `${join(paths.oauth, 'gemini.json.superseded-2')} (delete it once you are sure).\n`,
    );
    expect((await readdir(paths.oauth)).sort()).toEqual([
      'gemini',
      'gemini.json.superseded',
      'gemini.json.superseded-2',
    ]);
    expect(JSON.parse(await readFile(join(paths.oauth, 'gemini.json.superseded'), 'utf8'))).toMatchObject({
      refresh_token: 'first',
    });
    expect(JSON.parse(await readFile(join(paths.oauth, 'gemini.json.superseded-2'), 'utf8'))).toMatchObject({
      refresh_token: 'second',
    });
  });
});
