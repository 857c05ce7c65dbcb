import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashClientKey } from '../src/clients/key-hash.js';
import { tokenFilePath } from '../src/config/paths.js';
import { readJsonOrNull, writePrivateJson } from '../src/config/secure-files.js';
import { createHarness, type Harness } from './support/harness.js';
import { runBinary, startServeProcess } from './support/run-binary.js';
import { watchUntil } from './support/watch-process.js';

const keys = {
  alice: 'sy-alice-key-do-not-leak-0123456789abcdefghij',
  bob: 'sy-bob-key-do-not-leak-0123456789abcdefghijkl',
  team: 'sy-team-shared-key-do-not-leak-0123456789abc',
  admin: 'sy-admin-key-do-not-leak-0123456789abcdefgh',
};

/** Everything a secret could leak into during the session: bodies, headers, logs, CLI output, files. */
class Transcript {
  readonly parts: { where: string; text: string }[] = [];

  add(where: string, text: string): void {
    this.parts.push({ where, text });
  }

  async response(where: string, response: Response): Promise<number> {
    this.add(`${where} headers`, JSON.stringify([...response.headers]));
    this.add(`${where} body`, await response.text());
    return response.status;
  }

  leaks(secrets: string[]): string[] {
    return this.parts.flatMap(({ where, text }) =>
      secrets.filter((secret) => text.includes(secret)).map((secret) => `${where} contains ${secret.slice(0, 6)}...`),
    );
  }
}

describe('a full session with known credentials', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await createHarness({
      configExtra:
        `clients:\n  - name: alice\n    keyHash: ${hashClientKey(keys.alice)}\n   ` +
        ` profiles: [pool]\n  - name: bob\n    keyEnv: BOB_KEY\n    ` +
        `requestsPerMinute: 1\n`,
    });
  });

  afterEach(async () => {
    await harness.close();
  });

  it('never shows a token, key or client key in any log line, metric, statistic, error body or CLI output', {
    timeout: 90_000,
  }, async () => {
    const first = await harness.addBucket('anthropic', 'a');
    const second = await harness.addBucket('anthropic', 'b');
    const openai = harness.simulator.addAccount('openai-o');
    await writePrivateJson(tokenFilePath(harness.paths, 'openai', 'o'), { type: 'api_key', env: 'OPENAI_O_KEY' });
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [a, b]\n');
    await harness.writeProfile('api', 'type: model\nprovider: openai\nmodel: gpt-4.1\nbuckets: [o]\n');
    const environment = {
      SWITCHYARD_HOME: harness.home,
      HOME: harness.home,
      BOB_KEY: keys.bob,
      OPENAI_O_KEY: openai.apiKey,
      SWITCHYARD_API_KEY: keys.team,
      SWITCHYARD_ADMIN_KEY: keys.admin,
    };
    const server = await startServeProcess(['--port', '0', '--profile', 'pool', '--log-level', 'debug'], environment);
    const transcript = new Transcript();
    const url = server.url;
    const anthropic = (key: string, stream = false, headers: Record<string, string> = {}) =>
      fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'anthropic-version': '2023-06-01',
          'x-api-key': key,
          ...headers,
        },
        body: JSON.stringify({
          model: 'claude-sonnet-4-6',
          max_tokens: 32,
          stream,
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      });
    const chat = (key: string, headers: Record<string, string> = {}) =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${key}`,
          'x-switchyard-profile': 'api',
          ...headers,
        },
        body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hi' }] }),
      });
    const admin = { authorization: `Bearer ${keys.admin}` };
    try {
      harness.simulator.script('anthropic-a', [
        { kind: 'unauthorized' },
        { kind: 'ok' },
        { kind: 'rate-limit', style: 'anthropic-unified', resetSeconds: 600 },
      ]);
      expect(await transcript.response('refresh after 401', await anthropic(keys.alice))).toBe(200);
      expect(await transcript.response('failover stream', await anthropic(keys.alice, true))).toBe(200);
      harness.simulator.setBehavior('anthropic-b', {
        kind: 'rate-limit',
        style: 'retry-after-seconds',
        resetSeconds: 300,
      });
      expect(await transcript.response('all exhausted', await anthropic(keys.alice))).toBe(429);
      expect(await transcript.response('bob on the api profile', await chat(keys.bob))).toBe(200);
      expect(await transcript.response('bob over his rate', await chat(keys.bob))).toBe(429);
      harness.simulator.setBehavior('openai-o', { kind: 'unauthorized' });
      expect(await transcript.response('rejected api key', await chat(keys.team))).toBeGreaterThanOrEqual(400);
      expect(await transcript.response('unknown client key', await anthropic('sy-unknown-key'))).toBe(401);
      expect(await transcript.response('forbidden profile', await chat(keys.alice))).toBe(403);
      expect(
        await transcript.response(
          'admin refresh',
          await fetch(`${url}/auth/anthropic/refresh?bucket=b`, { method: 'POST', headers: admin }),
        ),
      ).toBe(200);
      for (const path of [
        '/metrics',
        '/stats/buckets',
        '/stats/clients',
        '/dashboard/data',
        '/dashboard',
        '/auth/anthropic/status',
        '/auth/openai/status',
        '/health',
        '/profiles/active',
      ]) {
        expect(await transcript.response(`GET ${path}`, await fetch(`${url}${path}`, { headers: admin }))).toBe(200);
      }
      expect(
        await transcript.response(
          'metrics without the admin key',
          await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${keys.alice}` } }),
        ),
      ).toBe(401);

      for (const words of [
        ['stats', 'buckets'],
        ['stats', 'buckets', '--json'],
        ['stats', 'clients'],
        ['auth'],
        ['auth', 'openai', 'status', '--json'],
        ['client', 'list', '--json'],
      ]) {
        const result = await runBinary(words, environment);
        expect(result.code, `${words.join(' ')}: ${result.stderr}`).toBe(0);
        transcript.add(`switchyard ${words.join(' ')}`, result.stdout + result.stderr);
      }
      const watched = await watchUntil(['--interval', '0.2'], environment, 1, /^switchyard pool at /m);
      transcript.add('stats buckets --watch', watched.stdout + watched.stderr);
    } finally {
      await server.stop();
    }
    const { stdout, stderr } = server.output();
    transcript.add('server stdout (request log)', stdout);
    transcript.add('server stderr', stderr);
    transcript.add('stats.json', await readFile(harness.paths.stats, 'utf8'));
    transcript.add('config.yaml', await readFile(harness.paths.config, 'utf8'));
    for (const file of await readdir(harness.paths.profiles))
      transcript.add(`profile ${file}`, await readFile(join(harness.paths.profiles, file), 'utf8'));

    // The session rotated tokens (refresh after the 401, the admin refresh): the new ones count too.
    const rotated = await Promise.all(
      ['a', 'b'].map(
        async (bucket) =>
          (await readJsonOrNull(tokenFilePath(harness.paths, 'anthropic', bucket))) as {
            access_token: string;
            refresh_token: string;
          },
      ),
    );
    const secrets = [
      first.accessToken,
      first.refreshToken,
      second.accessToken,
      second.refreshToken,
      ...rotated.flatMap((tokens) => [tokens.access_token, tokens.refresh_token]),
      openai.apiKey,
      ...Object.values(keys),
    ];
    expect(rotated[0]!.access_token).not.toBe(first.accessToken);
    expect(rotated[1]!.refresh_token).not.toBe(second.refreshToken);
    expect(new Set(secrets).size).toBe(secrets.length);

    // The session did what it says: the log has a line per request, with the bucket trail.
    const logLines = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { attempts?: string[]; status?: number });
    expect(logLines.filter((line) => line.status !== undefined).length).toBeGreaterThanOrEqual(8);
    expect(logLines.some((line) => line.attempts?.join(',') === 'anthropic/a:401,anthropic/a:200')).toBe(true);
    expect(transcript.parts.length).toBeGreaterThan(25);
    expect(transcript.leaks(secrets)).toEqual([]);
  });
});
