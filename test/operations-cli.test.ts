import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/io.js';
import { watchPool } from '../src/cli/watch-pool.js';
import { hashClientKey } from '../src/clients/key-hash.js';
import { resolvePaths } from '../src/config/paths.js';
import { writePrivateFile, writePrivateJson } from '../src/config/secure-files.js';
import type { PoolView } from '../src/dashboard/pool-view.js';
import { runBinary } from './support/run-binary.js';
import { watchUntil } from './support/watch-process.js';

let home: string;
let environment: NodeJS.ProcessEnv;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'switchyard-operations-cli-'));
  environment = { SWITCHYARD_HOME: home, HOME: home };
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('switchyard client', () => {
  it('adds a client with a fresh key kept only as its hash, lists it, and hashes keys from standard input', async () => {
    await writePrivateFile(join(home, 'config.yaml'), '# my settings\nserver:\n  port: 8790\n');
    const added = await runBinary(
      ['client', 'add', 'alice', '--profiles', 'ha-claude,team-claude', '--rpm', '30'],
      environment,
    );
    expect(added.code).toBe(0);
    const key = /^\s+(sy-[A-Za-z0-9_-]{43})$/m.exec(added.stdout)?.[1];
    expect(key).toBeDefined();
    expect(added.stdout).toContain('Added client alice to');
    expect(added.stdout).toContain('a running `switchyard serve` takes it at once');
    const config = await readFile(join(home, 'config.yaml'), 'utf8');
    expect(config).toContain('# my settings');
    expect(config).toContain(`keyHash: ${hashClientKey(key!)}`);
    expect(config).not.toContain(key!);
    expect(config).toMatch(/profiles:\n\s+- ha-claude\n\s+- team-claude\n\s+requestsPerMinute: 30/);

    const second = await runBinary(['client', 'add', 'bob'], environment);
    expect(second.code).toBe(0);
    const listed = await runBinary(['client', 'list'], environment);
    expect(listed.stdout).toBe(
      'alice: key hash in config.yaml; profiles: ha-claude, team-claude; 30 ' +
        'requests per minute\nbob: key hash in config.yaml; profiles: all; no ' +
        'rate limit\n',
    );
    expect(listed.stdout).not.toContain('sha256:');

    const hashed = await runBinary(['client', 'hash'], environment, `${key}\n`);
    expect(hashed).toMatchObject({ code: 0, stdout: `${hashClientKey(key!)}\n` });
    const fromVariable = await runBinary(['client', 'hash', '--env', 'MY_KEY'], {
      ...environment,
      MY_KEY: 'sy-some-key',
    });
    expect(fromVariable.stdout).toBe(`${hashClientKey('sy-some-key')}\n`);
  });

  it('refuses a duplicate name, a bad rate and an empty key with a clear message', async () => {
    expect((await runBinary(['client', 'add', 'alice'], environment)).code).toBe(0);
    expect(await runBinary(['client', 'add', 'alice'], environment)).toMatchObject({
      code: 1,
      stderr:
        'switchyard: A client named "alice" exists already in config.yaml: pick ' +
        'another name, or edit its entry there.\n',
    });
    expect((await runBinary(['client', 'add', 'carol', '--rpm', 'lots'], environment)).stderr).toBe(
      'switchyard: --rpm must be a whole number above 0, not "lots".\n',
    );
    expect((await runBinary(['client', 'add', '../etc'], environment)).stderr).toBe(
      'switchyard: Invalid client name "../etc": use 1-64 of A-Z a-z 0-9 . _ @ + -.\n',
    );
    expect(await runBinary(['client', 'hash'], environment, '')).toMatchObject({
      code: 1,
      stderr: 'switchyard: No key on standard input: pipe one in, e.g. `printf %s "$KEY" | switchyard client hash`.\n',
    });
  });
});

describe('switchyard stats', () => {
  it('stats clients needs a running server and says so', async () => {
    expect(await runBinary(['stats', 'clients'], environment)).toMatchObject({
      code: 1,
      stderr:
        'switchyard: Per-client statistics live in the running server, and none ' +
        'runs from this SWITCHYARD_HOME: start one with `switchyard serve`.\n',
    });
  });

  it('stats buckets --watch prints plain frames when stdout is not a terminal and stops cleanly on Ctrl-C', async () => {
    const paths = resolvePaths({ SWITCHYARD_HOME: home });
    await writePrivateFile(
      join(paths.profiles, 'pool.yaml'),
      'type: model\nprovider: anthropic\nbuckets: [first, second]\n',
    );
    await writePrivateJson(join(paths.oauth, 'anthropic', 'first.json'), {
      access_token: 'access-first',
      refresh_token: 'refresh-first',
      expires_at: Math.floor(Date.now() / 1000) + 3600,
    });
    await writePrivateJson(join(paths.oauth, 'anthropic', 'second.json'), {
      access_token: 'access-second',
      refresh_token: 'refresh-second',
      expires_at: Math.floor(Date.now() / 1000) + 3600,
    });
    const resetAt = Date.now() + 3_600_000;
    await writePrivateJson(paths.stats, {
      version: 1,
      buckets: {
        'anthropic/first': {
          requests: 4,
          successes: 3,
          rateLimited: 1,
          lastUsed: Date.now() - 120_000,
          state: 'cooling',
          availableAt: resetAt,
        },
      },
    });
    const result = await watchUntil(['--interval', '0.2'], environment, 2, /^switchyard pool at /m);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toContain('\u001B');
    const frame = result.stdout.split('\n\n\nswitchyard pool')[0]!;
    expect(frame).toMatch(
      /^switchyard pool at .+: 2 buckets, 1 ready, 1 resting, 0 need login; active profile: none\n/,
    );
    expect(frame).toMatch(
      /\n {5}1 anthropic\/first +cooling +4 requests +75 % ok +tokens 0 in \/ 0 out +last used 2 min ago +resets in (1:00:00|59:5\d)\n/,
    );
    expect(frame).toMatch(/\n {2}> {2}2 anthropic\/second +ready +0 requests +- /);
    expect(frame).toContain('example profiles not shown; see switchyard profile list');
    const withJson = await watchUntil(['--json', '--interval', '0.2'], environment, 2, /^\{"generatedAt"/m);
    const [first] = withJson.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as PoolView);
    expect(
      first?.profiles.find((profile) => profile.name === 'pool')?.chain.map((entry) => [entry.key, entry.state]),
    ).toEqual([
      ['anthropic/first', 'cooling'],
      ['anthropic/second', 'ready'],
    ]);
  });

  it('redraws in place on a terminal and restores the cursor when stopped', async () => {
    let output = '';
    const io: CliIo = {
      stdout: (text) => (output += text),
      stderr: () => undefined,
      environment: {},
      paths: resolvePaths({ SWITCHYARD_HOME: home }),
      interactive: true,
    };
    const controller = new AbortController();
    let frames = 0;
    const view: PoolView = { generatedAt: new Date().toISOString(), profile: null, profiles: [], buckets: [] };
    await watchPool(io, {
      load: async () => {
        frames += 1;
        if (frames === 3) controller.abort();
        return view;
      },
      intervalMs: 1,
      signal: controller.signal,
      json: false,
    });
    expect(output.startsWith('\u001B[?25l\u001B[2J\u001B[H')).toBe(true);
    expect(output.split('\u001B[H')).toHaveLength(3);
    expect(output).toContain('switchyard profile save model NAME BUCKET...`.\u001B[K\n');
    expect(output.endsWith('\u001B[J\u001B[?25h')).toBe(true);
  });
});
