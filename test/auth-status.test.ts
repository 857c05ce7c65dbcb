import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBinary, startServeProcess } from './support/run-binary.js';

let home: string;
let environment: NodeJS.ProcessEnv;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'switchyard-auth-status-'));
  environment = { SWITCHYARD_HOME: home, HOME: home };
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

async function importLogin(bucket: string): Promise<void> {
  const file = join(home, `${bucket}.json`);
  const expiresAt = Math.floor(Date.now() / 1000) + 3600;
  await writeFile(file, JSON.stringify({ access_token: 'at', refresh_token: 'rt', expires_at: expiresAt }));
  expect((await runBinary(['auth', 'anthropic', 'import', bucket, '--from', file], environment)).code).toBe(0);
}

describe('auth says what it knows', () => {
  it('shows a disabled provider as disabled, in the text and in --json', async () => {
    await importLogin('work');
    expect((await runBinary(['auth', 'anthropic', 'disable'], environment)).code).toBe(0);
    const overview = await runBinary(['auth'], environment);
    expect(overview.stdout).toContain(
      'OAuth Buckets for anthropic (disabled: the router skips them until `switchyard auth anthropic enable`):\n' +
        '  [ok] work (expires in',
    );
    expect(overview.stdout).toContain('OAuth Buckets for codex:\n');
    const json = JSON.parse((await runBinary(['auth', 'anthropic', 'status', '--json'], environment)).stdout);
    expect(json).toMatchObject({ provider: 'anthropic', oauthEnabled: false, buckets: [{ bucket: 'work' }] });
    expect((await runBinary(['auth', 'anthropic', 'enable'], environment)).code).toBe(0);
    expect((await runBinary(['auth', 'anthropic', 'status'], environment)).stdout).toMatch(
      /^OAuth Buckets for anthropic:\n {2}\[ok\] work/,
    );
  });

  it('lists API-key buckets apart from OAuth buckets, and suggests only commands that work', async () => {
    await importLogin('work');
    await runBinary(['auth', 'anthropic', 'key', 'console', '--env', 'CONSOLE_KEY'], environment);
    await runBinary(['auth', 'openai', 'key', 'team', '--env', 'OPENAI_TEAM_KEY'], environment);
    const anthropic = await runBinary(['auth', 'anthropic', 'status'], { ...environment, CONSOLE_KEY: 'k' });
    expect(anthropic.stdout).toMatch(
      /^OAuth Buckets for anthropic:\n {2}\[ok\] work \(expires in [^)]*\)\nAPI-key Buckets for anthropic:\n {2}\[ok\] console \(API key from \$CONSOLE_KEY\)\n$/,
    );
    const overview = await runBinary(['auth'], environment);
    expect(overview.stdout).toContain(
      'API-key Buckets for openai:\n  [missing-key] team (API key from $OPENAI_TEAM_KEY)\n',
    );
    expect(overview.stdout).not.toContain('OAuth Buckets for openai');
    expect(overview.stdout).not.toMatch(/auth openai (import|login)/);
    await rm(join(home, 'oauth', 'openai'), { recursive: true, force: true });
    const empty = await runBinary(['auth', 'openai', 'status'], environment);
    expect(empty.stdout).toBe('API-key Buckets for openai:\n  (none: `switchyard auth openai key BUCKET --env VAR`)\n');
    // The command once suggested is refused, with or without --from: openai takes API keys only.
    const file = join(home, 'tokens.json');
    await writeFile(file, JSON.stringify({ access_token: 'at', refresh_token: 'rt' }));
    expect(await runBinary(['auth', 'openai', 'import', 'x', '--from', file], environment)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'switchyard: openai buckets use API keys, which are never imported: run switchyard auth openai key x ' +
        '--env VARIABLE.\n',
    });
  });

  it('shows a CLAUDE_ACCESS_TOKEN bucket before serve stores it, and serve says it stored it', async () => {
    const seeded = { ...environment, CLAUDE_ACCESS_TOKEN: 'sk-ant-oat01-seeded-secret', CLAUDE_BUCKET: 'ci' };
    const before = await runBinary(['auth', 'anthropic', 'status'], seeded);
    expect(before.stdout).toBe(
      'OAuth Buckets for anthropic:\n  [env] ci (seeded from the environment: CLAUDE_ACCESS_TOKEN is set, ' +
        '`switchyard serve` stores it in this bucket when it starts)\n',
    );
    const json = JSON.parse((await runBinary(['auth', 'anthropic', 'status', '--json'], seeded)).stdout);
    expect(json).toMatchObject({ environmentSeed: { bucket: 'ci', stored: false }, buckets: [] });
    const server = await startServeProcess(['--port', '0'], seeded);
    await server.stop();
    expect(server.output().stdout).toContain('  Bucket anthropic/ci: stored from CLAUDE_ACCESS_TOKEN\n');
    const after = await runBinary(['auth'], seeded);
    expect(after.stdout).toContain(
      'OAuth Buckets for anthropic:\n  [ok] ci (seeded from the environment (CLAUDE_ACCESS_TOKEN), no refresh token)\n',
    );
    expect(after.stdout).not.toContain('[env]');
    const again = await startServeProcess(['--port', '0'], seeded);
    await again.stop();
    expect(again.output().stdout).toContain(
      '  Bucket anthropic/ci: from CLAUDE_ACCESS_TOKEN earlier, kept (it may have been refreshed since)\n',
    );
    for (const output of [before.stdout, after.stdout, server.output().stdout, server.output().stderr])
      expect(output).not.toContain('seeded-secret');
  });
});
