import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBinary, startServeProcess } from './support/run-binary.js';

let home: string;
let environment: NodeJS.ProcessEnv;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'switchyard-cli-'));
  environment = { SWITCHYARD_HOME: home, HOME: home };
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('switchyard profile', () => {
  it('saves, lists, shows and deletes profiles', async () => {
    const saved = await runBinary(
      [
        'profile',
        'save',
        'model',
        'mine',
        'w1@x.com',
        'w2@x.com',
        '--provider',
        'claude',
        '--model',
        'claude-sonnet-4-6',
      ],
      environment,
    );
    expect(saved).toMatchObject({ code: 0, stdout: 'Saved model profile mine: w1@x.com -> w2@x.com\n' });
    const listed = await runBinary(['profile', 'list', '--json'], environment);
    const entries = JSON.parse(listed.stdout) as { name: string; source: string }[];
    expect(entries[0]).toMatchObject({ name: 'mine', source: 'user' });
    expect(entries.map((entry) => entry.name)).toContain('ha-claude');
    const shown = await runBinary(['profile', 'show', 'mine'], environment);
    expect(shown.stdout).toContain('chain (failover): anthropic/w1@x.com -> anthropic/w2@x.com');
    const balanced = await runBinary(
      ['profile', 'save', 'loadbalancer', 'both', 'roundrobin', 'mine', 'openai-backup'],
      environment,
    );
    expect(balanced.code).toBe(0);
    expect((await runBinary(['profile', 'delete', 'mine'], environment)).code).toBe(1);
    const deleted = await runBinary(['profile', 'delete', 'mine', '--force'], environment);
    expect(deleted.code).toBe(0);
    expect(deleted.stderr).toBe(
      'switchyard: warning: both still lists "mine" and will fail to load until ' +
        'it is saved again or removed from it.\n',
    );
    expect((await runBinary(['profile', 'show', 'mine'], environment)).stderr).toMatch(
      /^switchyard: Unknown profile "mine"/,
    );
  });

  it('forgets the active profile when it is deleted, so serve falls back to the default instead of refusing to start', async () => {
    await runBinary(['profile', 'save', 'model', 'mine', 'w1', '--provider', 'anthropic'], environment);
    expect((await runBinary(['profile', 'load', 'mine'], environment)).code).toBe(0);
    expect((await runBinary(['profile', 'set-default', 'ha-claude'], environment)).code).toBe(0);
    const deleted = await runBinary(['profile', 'delete', 'mine'], environment);
    expect(deleted).toMatchObject({
      code: 0,
      stdout:
        'Deleted profile mine\nIt was the active profile: `switchyard serve` will ' +
        'now use the default profile ha-claude.\n',
    });
    const server = await startServeProcess(['--port', '0'], environment);
    try {
      expect(((await (await fetch(`${server.url}/health`)).json()) as { profile: string }).profile).toBe('ha-claude');
    } finally {
      await server.stop();
    }
  });

  it('refuses bad names, bad policies and deleting examples with a clear message and exit code 1', async () => {
    const badBucket = await runBinary(
      ['profile', 'save', 'model', 'p', '../x', '--provider', 'anthropic'],
      environment,
    );
    expect(badBucket.code).toBe(1);
    expect(badBucket.stderr).toMatch(/^switchyard: Invalid bucket name "\.\.\/x"/);
    const badPolicy = await runBinary(['profile', 'save', 'loadbalancer', 'lb', 'random', 'ha-claude'], environment);
    expect(badPolicy.stderr).toBe('switchyard: The policy must be failover, roundrobin or balance, not "random".\n');
    const example = await runBinary(['profile', 'delete', 'ha-claude'], environment);
    expect(example.stderr).toMatch(/is a bundled example/);
  });

  it('saves a model map given with --models, and refuses a malformed one', async () => {
    const saved = await runBinary(
      [
        'profile',
        'save',
        'model',
        'backup',
        'k1',
        '--provider',
        'openai',
        '--models',
        'claude-haiku-4-5=gpt-4.1-mini,*=gpt-4.1',
      ],
      environment,
    );
    expect(saved).toMatchObject({ code: 0, stdout: 'Saved model profile backup: k1\n' });
    expect((await runBinary(['profile', 'show', 'backup'], environment)).stdout).toContain(
      'models:\n  claude-haiku-4-5: gpt-4.1-mini\n  "*": gpt-4.1\n',
    );
    const malformed = await runBinary(
      ['profile', 'save', 'model', 'backup', 'k1', '--provider', 'openai', '--models', 'gpt-4.1'],
      environment,
    );
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toBe(
      'switchyard: Expected `--models` as CLIENT=MODEL pairs separated by ' +
        "commas, e.g. --models 'claude-haiku-4-5=gpt-4.1-mini,*=gpt-4.1'; got " +
        '"gpt-4.1".\n',
    );
  });

  it('loads a profile live into a running server', async () => {
    const server = await startServeProcess(['--port', '0', '--profile', 'ha-claude'], environment);
    try {
      expect(((await (await fetch(`${server.url}/health`)).json()) as { profile: string }).profile).toBe('ha-claude');
      const loaded = await runBinary(['profile', 'load', 'team-claude'], environment);
      expect(loaded.code).toBe(0);
      expect(loaded.stdout).toMatch(/^Loaded team-claude on the running server at http:\/\/127\.0\.0\.1:\d+/);
      expect(((await (await fetch(`${server.url}/health`)).json()) as { profile: string }).profile).toBe('team-claude');
      const missing = await runBinary(['profile', 'load', 'nope'], environment);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/Unknown profile "nope"/);
    } finally {
      await server.stop();
    }
    const state = JSON.parse(await readFile(join(home, 'state.json'), 'utf8')) as { activeProfile: string };
    expect(state.activeProfile).toBe('team-claude');
  });
});

describe('switchyard auth', () => {
  it('imports tokens, reports status and logs out, never printing a token', async () => {
    const file = join(home, 'tokens.json');
    await writeFile(
      file,
      JSON.stringify({
        accessToken: 'sk-ant-oat-SECRET-ACCESS',
        refreshToken: 'sk-ant-ort-SECRET-REFRESH',
        expiresAt: Date.now() + 3_600_000,
      }),
    );
    const imported = await runBinary(['auth', 'claude', 'import', 'work1@company.com', '--from', file], environment);
    expect(imported).toMatchObject({ code: 0 });
    const tokenFile = join(home, 'oauth', 'anthropic', 'work1@company.com.json');
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'oauth', 'anthropic'))).mode & 0o777).toBe(0o700);
    const status = await runBinary(['auth', 'anthropic', 'status'], environment);
    expect(status.stdout).toMatch(
      /^OAuth Buckets for anthropic:\n {2}\[ok\] work1@company\.com \(expires in (59 min|1 hour), refresh token present\)\n$/,
    );
    const everything = await runBinary(['auth', '--json'], environment);
    for (const output of [imported.stdout, status.stdout, everything.stdout]) expect(output).not.toContain('SECRET');
    expect((await runBinary(['auth', 'anthropic', 'logout', 'work1@company.com'], environment)).stdout).toBe(
      'Logged out anthropic/work1@company.com: its stored tokens are removed.\n',
    );
    // An omitted bucket is `default`, and the answer names it.
    expect(await runBinary(['auth', 'claude', 'logout'], environment)).toMatchObject({
      code: 1,
      stderr: 'switchyard: No stored tokens for anthropic/default.\n',
    });
  });

  it('keeps API keys in the environment, never on disk', async () => {
    const saved = await runBinary(['auth', 'openai', 'key', 'team', '--env', 'TEAM_OPENAI_KEY'], {
      ...environment,
      TEAM_OPENAI_KEY: 'sk-SECRET',
    });
    expect(saved.code).toBe(0);
    expect(JSON.parse(await readFile(join(home, 'oauth', 'openai', 'team.json'), 'utf8'))).toEqual({
      type: 'api_key',
      env: 'TEAM_OPENAI_KEY',
    });
    const missing = await runBinary(['auth', 'openai', 'status'], environment);
    expect(missing.stdout).toContain('[missing-key] team (API key from $TEAM_OPENAI_KEY)');
  });

  it('refuses bad input with a message that says how to fix it', async () => {
    expect((await runBinary(['auth', 'mistral', 'status'], environment)).stderr).toMatch(
      /^switchyard: Unknown provider "mistral"\. Expected one of: anthropic, openai, codex, gemini, qwen/,
    );
    expect((await runBinary(['auth', 'anthropic', 'import', '../../x', '--from', 'f'], environment)).stderr).toMatch(
      /^switchyard: Invalid bucket name "\.\.\/\.\.\/x"/,
    );
    expect((await runBinary(['auth', 'anthropic', 'import', 'b'], environment)).stderr).toBe(
      `switchyard: No anthropic login found to import; looked in: ${join(home, '.claude', '.credentials.json')} ` +
        `(Claude Code), ` +
        `${join(home, '.llxprt', 'oauth', 'anthropic-b.json')} (llxprt-code), ${join(home, '.llxprt', 'oauth', 'anthropic.json')} ` +
        `(llxprt-code). ` +
        'Log in with that tool first, or name the file: switchyard auth anthropic import b --from FILE. ' +
        'On macOS, Claude Code keeps its login in the keychain: security ' +
        'find-generic-password -s "Claude Code-credentials" -w > FILE\n',
    );
    const notJson = join(home, 'bad.json');
    await writeFile(notJson, 'not json');
    expect((await runBinary(['auth', 'anthropic', 'import', 'b', '--from', notJson], environment)).stderr).toBe(
      `switchyard: ${notJson} is not valid JSON; expected a token file.\n`,
    );
  });
});

describe('switchyard stats buckets', () => {
  it('prints the persisted statistics in the documented shape when no server runs', async () => {
    const now = Date.now();
    await writeFile(
      join(home, 'stats.json'),
      JSON.stringify({
        version: 1,
        buckets: {
          'anthropic/work1@company.com': {
            requests: 47,
            successes: 45,
            rateLimited: 2,
            lastUsed: now - 120_000,
            lastStatus: 200,
          },
          'anthropic/work2@company.com': { requests: 23, successes: 23, lastUsed: now - 900_000, lastStatus: 200 },
        },
      }),
    );
    const result = await runBinary(['stats', 'buckets'], environment);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('OAuth Bucket Statistics:');
    expect(lines[1]).toMatch(/^ {2}anthropic\/work1@company\.com: 47 requests \(last used: 2 min ago\)/);
    expect(lines[2]).toMatch(/^ {2}anthropic\/work2@company\.com: 23 requests \(last used: 15 min ago\)/);
    const json = JSON.parse((await runBinary(['stats', 'buckets', '--json'], environment)).stdout) as {
      buckets: { key: string; requests: number }[];
    };
    expect(json.buckets.map((bucket) => [bucket.key, bucket.requests])).toEqual([
      ['anthropic/work1@company.com', 47],
      ['anthropic/work2@company.com', 23],
    ]);
  });

  it('reads from the running server when there is one', async () => {
    const server = await startServeProcess(['--port', '0', '--profile', 'ha-claude'], environment);
    try {
      const result = await runBinary(['stats', 'buckets'], environment);
      expect(result.stdout).toMatch(
        /^OAuth Bucket Statistics:\n {2}anthropic\/personal@gmail\.com: 0 requests \(last used: never\)/,
      );
    } finally {
      await server.stop();
    }
  });

  it('tells how to give the CLI the key when the running server wants one', async () => {
    const server = await startServeProcess(['--port', '0', '--profile', 'ha-claude'], {
      ...environment,
      SWITCHYARD_API_KEY: 'client-secret',
    });
    try {
      const result = await runBinary(['stats', 'buckets'], environment);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'switchyard: The running server refused the statistics: This switchyard ' +
          'requires a client key: send it as "Authorization: Bearer <key>" or ' +
          '"x-api-key". ' +
          'Set SWITCHYARD_ADMIN_KEY (or SWITCHYARD_API_KEY) in this shell to the key the server was started with.\n',
      );
      expect(
        (await runBinary(['stats', 'buckets'], { ...environment, SWITCHYARD_API_KEY: 'client-secret' })).code,
      ).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('reports a corrupt stats file without touching it', async () => {
    await writeFile(join(home, 'stats.json'), '{broken');
    const result = await runBinary(['stats', 'buckets'], environment);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/stats\.json is not valid JSON .* left untouched/);
    expect(await readFile(join(home, 'stats.json'), 'utf8')).toBe('{broken');
  });
});

describe('switchyard itself', () => {
  it('prints help for every command', async () => {
    for (const words of [
      ['--help'],
      ['serve', '--help'],
      ['auth', '--help'],
      ['profile', 'save', 'model', '--help'],
      ['stats', 'buckets', '--help'],
      ['demo', '--help'],
    ]) {
      const result = await runBinary(words, environment);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/USAGE/);
    }
    // The command list keeps one line per command; auth's action table shows under its own help.
    const top = await runBinary(['--help'], environment);
    expect(top.stdout).not.toMatch(/auth PROVIDER status/);
    expect((await runBinary(['auth', '--help'], environment)).stdout).toMatch(/switchyard auth PROVIDER login BUCKET/);
  });

  it('prints help and usage errors a person can read when the output is not a terminal', async () => {
    const help = await runBinary(['--help'], environment);
    expect(help.stdout).not.toContain('\u001b[');
    expect(Math.max(...help.stdout.split('\n').map((line) => line.length))).toBeLessThan(160);
    // One line per command, its description aligned after the longest name, no padding after it.
    expect(help.stdout).toMatch(
      /^ {2}auth +Accounts \("buckets"\) and their tokens\. Without arguments: status of every provider and bucket\.$/m,
    );
    const authHelp = await runBinary(['auth', '--help'], environment);
    expect(authHelp.stdout).toContain('switchyard auth PROVIDER key BUCKET --env VAR');
    const unknown = await runBinary(['frobnicate'], environment);
    expect(unknown.code).toBe(2);
    // The list of commands grows; the message names them all and points to the help.
    expect(unknown.stderr).toMatch(
      /^switchyard: Unknown command "frobnicate" for `switchyard`: one of serve, .*auth, profile, stats, .*\.\nRun `switchyard --help` for the commands\.\n$/,
    );
    const bare = await runBinary(['profile'], environment);
    expect(bare).toMatchObject({
      code: 2,
      stderr:
        'switchyard: `switchyard profile` needs a command: save, load, list, show, delete, set-default.\n' +
        'Run `switchyard profile --help` for its usage.\n',
    });
  });

  it('refuses an unknown command and a non-loopback bind without a client key', async () => {
    const unknown = await runBinary(['frobnicate'], environment);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command/i);
    const exposed = await runBinary(['serve', '--host', '0.0.0.0', '--port', '0'], environment);
    expect(exposed.code).toBe(1);
    expect(exposed.stderr).toMatch(/Refusing to listen on 0\.0\.0\.0 without client keys/);
  });

  it('runs slash commands in the interactive shell', async () => {
    const result = await runBinary([], environment, '/profile list\n/auth anthropic status\n/exit\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ha-claude');
    expect(result.stdout).toContain('OAuth Buckets for anthropic:');
  });

  it('runs the demo: failover, the return to the primary, balancing with a window reset and the exhausted answer', async () => {
    const result = await runBinary(['demo', '--pause', '0'], environment);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('served by anthropic/work2@company.com');
    expect(result.stdout).toMatch(/attempts: anthropic\/work1@company\.com:429,anthropic\/work2@company\.com:200/);
    expect(result.stdout).toContain('calls that reached the cooling primary meanwhile: 0');
    expect(result.stdout).toMatch(/request after the reset\s+200\s+served by anthropic\/work1@company\.com/);
    // Balancing: the account with the most headroom in its binding window takes new sessions; a session stays put.
    expect(result.stdout).toMatch(/session four\s+200\s+served by anthropic\/personal@gmail\.com/);
    expect(result.stdout).toMatch(
      /session one\s+200\s+served by (\S+)\n[\s\S]*?again[^\n]*\n {2}session one\s+200\s+served by \1\n {2}session one\s+200\s+served by \1\n/,
    );
    // On the simulator's fast clock (an hour a second): a 5-hour window resets in seconds, a week in minutes.
    expect(result.stdout).toContain('windows pass 3600 times faster here: an hour in a second');
    expect(result.stdout).toMatch(/anthropic\/work2@company\.com: 5h \d+ % \(\d s\) · 7d \d+ % \(3 min\)/);
    // The fullest account's 5-hour window resets: new sessions go to it, the most left now.
    expect(result.stdout).toMatch(
      /anthropic\/work1@company\.com's 5-hour window resets at [^\n]*waiting for it:\n[^\n]*again[^\n]*\n {2}session seven\s+200\s+served by anthropic\/work1@company\.com\n {2}session eight\s+200\s+served by anthropic\/work1@company\.com\n/,
    );
    expect(result.stdout).toMatch(/anthropic\/work1@company\.com: 5h [0-9] % \(\d s\) · 7d 50 % \(3 min\)/);
    expect(result.stdout).toMatch(/All OAuth buckets exhausted; the first one resets at \d{4}-\d\d-\d\dT/);
    expect(result.stdout).toContain('OAuth Bucket Statistics:');
  }, 60_000);
});
