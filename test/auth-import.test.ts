import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileTokenStore } from '../src/auth/file-token-store.js';
import { runCli } from '../src/cli/main.js';
import { resolvePaths, type SwitchyardPaths, tokenFilePath } from '../src/config/paths.js';
import { writePrivateJson } from '../src/config/secure-files.js';

const fixtures = fileURLToPath(new URL('../src/auth/importers/fixtures/', import.meta.url));

let userHome: string;
let paths: SwitchyardPaths;

beforeEach(async () => {
  userHome = await mkdtemp(join(tmpdir(), 'switchyard-import-'));
  paths = resolvePaths({ SWITCHYARD_HOME: join(userHome, '.switchyard') });
});
afterEach(async () => {
  await rm(userHome, { recursive: true, force: true });
});

/** Runs the CLI in this process with HOME pointed at the temporary user home. */
async function cli(
  argv: string[],
  environment: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    environment: { HOME: userHome, ...environment },
    paths,
    interactive: false,
  });
  return { code, stdout, stderr };
}

async function placeFixture(name: string, ...target: string[]): Promise<string> {
  const path = join(userHome, ...target);
  await mkdir(dirname(path), { recursive: true });
  await copyFile(join(fixtures, name), path);
  return path;
}

const storeWithoutKey = () => createFileTokenStore(paths, { encryption: { kind: 'none' } });

describe('auth <provider> import without --from', () => {
  it("finds Claude Code's login under HOME and names the file it used", async () => {
    const path = await placeFixture('claude-code.credentials.json', '.claude', '.credentials.json');
    const result = await cli(['auth', 'claude', 'import', 'work']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Reading the Claude Code login at ${path}.\n`);
    expect(result.stdout).toContain(
      `Imported anthropic/work from ${path} (Claude Code .credentials.json (claudeAiOauth)).`,
    );
    expect(result.stdout).not.toContain('fake-access-token');
    expect(await storeWithoutKey().read('anthropic', 'work')).toMatchObject({
      access_token: 'sk-ant-oat01-fake-access-token',
      expires_at: 1_890_003_600,
    });
  });

  it("finds Codex's auth.json under CODEX_HOME, Gemini CLI's and Qwen Code's oauth_creds.json under HOME", async () => {
    const codex = join(userHome, 'codex-home', 'auth.json');
    await placeFixture('codex-auth.json', 'codex-home', 'auth.json');
    expect((await cli(['auth', 'chatgpt', 'import'], { CODEX_HOME: join(userHome, 'codex-home') })).stdout).toContain(
      `Imported codex/default from ${codex}`,
    );
    expect(await storeWithoutKey().read('codex', 'default')).toMatchObject({ account_id: 'acct-fake-0001' });

    const gemini = await placeFixture('gemini-oauth_creds.json', '.gemini', 'oauth_creds.json');
    expect((await cli(['auth', 'gemini', 'import', 'me'])).stdout).toContain(`Imported gemini/me from ${gemini}`);
    const qwen = await placeFixture('qwen-oauth_creds.json', '.qwen', 'oauth_creds.json');
    expect((await cli(['auth', 'qwen', 'import', 'me'])).stdout).toContain(`Imported qwen/me from ${qwen}`);
    expect(await storeWithoutKey().read('qwen', 'me')).toMatchObject({ resource_url: 'portal.qwen.ai' });
  });

  it("falls back to llxprt-code's files, the bucket's own first", async () => {
    const shared = await placeFixture('llxprt-anthropic.json', '.llxprt', 'oauth', 'anthropic.json');
    const own = await placeFixture('llxprt-anthropic.json', '.llxprt', 'oauth', 'anthropic-work.json');
    expect((await cli(['auth', 'anthropic', 'import', 'work'])).stdout).toContain(
      `Reading the llxprt-code login at ${own}.`,
    );
    expect((await cli(['auth', 'anthropic', 'import', 'other'])).stdout).toContain(
      `Reading the llxprt-code login at ${shared}.`,
    );
  });

  it('lists every place it looked when there is nothing to import', async () => {
    const result = await cli(['auth', 'anthropic', 'import', 'work']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `switchyard: No anthropic login found to import; looked in: ${join(userHome, '.claude', '.credentials.json')} ` +
        `(Claude Code), ` +
        `${join(userHome, '.llxprt', 'oauth', 'anthropic-work.json')} ` +
        `(llxprt-code), ${join(userHome, '.llxprt', 'oauth', 'anthropic.json')} ` +
        `(llxprt-code). ` +
        'Log in with that tool first, or name the file: switchyard auth anthropic import work --from FILE. ' +
        'On macOS, Claude Code keeps its login in the keychain: security ' +
        'find-generic-password -s "Claude Code-credentials" -w > FILE\n',
    );
  });

  it('says that openai buckets take API keys, not imports', async () => {
    const result = await cli(['auth', 'openai', 'import', 'team']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'switchyard: openai buckets use API keys, which are never imported: run ' +
        'switchyard auth openai key team --env VARIABLE.\n',
    );
  });
});

describe('auth <provider> import --from', () => {
  it("refuses a missing file, a file that is not JSON, and another provider's login, with the fix", async () => {
    const missing = join(userHome, 'nope.json');
    expect((await cli(['auth', 'anthropic', 'import', 'a', '--from', missing])).stderr).toBe(
      `switchyard: Cannot read ${missing}: ENOENT.\n`,
    );
    const broken = join(userHome, 'broken.json');
    await writeFile(broken, '{"accessToken": "secret-value",');
    const notJson = await cli(['auth', 'anthropic', 'import', 'a', '--from', broken]);
    expect(notJson).toMatchObject({
      code: 1,
      stderr: `switchyard: ${broken} is not valid JSON; expected a token file.\n`,
    });
    const claude = join(fixtures, 'claude-code.credentials.json');
    const wrong = await cli(['auth', 'codex', 'import', 'a', '--from', claude]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`import it with: switchyard auth anthropic import BUCKET --from ${claude}`);
    expect(await readdir(paths.home).catch(() => [])).not.toContain('oauth/codex');
  });

  it('writes the import encrypted when SWITCHYARD_TOKEN_KEY is set, and reads our own encrypted file back with that key', async () => {
    const key = randomBytes(32).toString('base64');
    const result = await cli(['auth', 'gemini', 'import', 'enc', '--from', join(fixtures, 'gemini-oauth_creds.json')], {
      SWITCHYARD_TOKEN_KEY: key,
    });
    expect(result.code).toBe(0);
    const file = tokenFilePath(paths, 'gemini', 'enc');
    expect(await readFile(file, 'utf8')).not.toContain('fake-gemini');
    const copy = await cli(['auth', 'gemini', 'import', 'copy', '--from', file], { SWITCHYARD_TOKEN_KEY: key });
    expect(copy.code).toBe(0);
    const withoutKey = await cli(['auth', 'gemini', 'import', 'other', '--from', file]);
    expect(withoutKey.stderr).toBe(
      `switchyard: ${file} is encrypted, but SWITCHYARD_TOKEN_KEY is not set. ` +
        `It was left untouched; set SWITCHYARD_TOKEN_KEY to the key it was ` +
        `written with.\n`,
    );
    const status = await cli(['auth', 'gemini', 'status', '--json']);
    expect(JSON.parse(status.stdout).buckets.map((bucket: { status: string }) => bucket.status)).toEqual([
      'unreadable',
      'unreadable',
    ]);
  });
});

describe('legacy token files', () => {
  it('moves oauth/<provider>.json and oauth/<provider>-<bucket>.json into oauth/<provider>/<bucket>.json once', async () => {
    const tokens = { access_token: 'legacy-access', refresh_token: 'legacy-refresh', expires_at: 1_890_000_000 };
    await writePrivateJson(join(paths.oauth, 'anthropic.json'), tokens);
    await writePrivateJson(join(paths.oauth, 'codex-work@example.com.json'), { ...tokens, account_id: 'acct-1' });
    await writePrivateJson(join(paths.oauth, 'claude.json'), tokens); // an alias is not guessed at
    const first = await cli(['auth']);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(
      `switchyard: moved ${join(paths.oauth, 'anthropic.json')} (older layout) ` +
        `to ${tokenFilePath(paths, 'anthropic', 'default')}.\n` +
        `switchyard: moved ${join(paths.oauth, 'codex-work@example.com.json')} ` +
        `(older layout) to ${tokenFilePath(paths, 'codex', 'work@example.com')}.\n`,
    );
    expect(await storeWithoutKey().read('anthropic', 'default')).toEqual(tokens);
    expect(await storeWithoutKey().read('codex', 'work@example.com')).toMatchObject({ account_id: 'acct-1' });
    expect((await readdir(paths.oauth)).sort()).toEqual(['anthropic', 'claude.json', 'codex']);
    expect((await cli(['auth'])).stderr).toBe('');
  });

  it('keeps the newer file when both exist, renaming the old one aside', async () => {
    await writePrivateJson(join(paths.oauth, 'gemini.json'), { access_token: 'old' });
    await storeWithoutKey().write('gemini', 'default', { access_token: 'new' });
    const result = await cli(['auth', 'gemini', 'status']);
    expect(result.stderr).toContain(
      `${tokenFilePath(paths, 'gemini', 'default')} already exists, so the ` +
        `older ${join(paths.oauth, 'gemini.json')} was not used`,
    );
    expect(await storeWithoutKey().read('gemini', 'default')).toEqual({ access_token: 'new' });
    expect((await readdir(paths.oauth)).sort()).toEqual(['gemini', 'gemini.json.superseded']);
  });

  it('leaves an unreadable legacy file where it is and says why', async () => {
    await mkdir(paths.oauth, { recursive: true });
    await writeFile(join(paths.oauth, 'qwen.json'), '{"access_token": "secret-value",');
    const result = await cli(['auth', 'qwen', 'status']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `could not move ${join(paths.oauth, 'qwen.json')} (older layout) to ` +
        `${tokenFilePath(paths, 'qwen', 'default')}: ${join(paths.oauth, 'qwen.json')} ` +
        `is not valid JSON`,
    );
    expect(result.stderr).not.toContain('secret-value');
    expect(await readFile(join(paths.oauth, 'qwen.json'), 'utf8')).toBe('{"access_token": "secret-value",');
  });
});
