import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tokenFilePath } from '../src/config/paths.js';
import { writePrivateFile } from '../src/config/secure-files.js';
import type { ProviderName } from '../src/core/types.js';
import { startServer } from '../src/server/start-server.js';
import { formatDrivers } from './support/format-drivers.js';
import { createHarness, type Harness } from './support/harness.js';
import { errorOf, postRaw, rawRequestOf } from './support/raw-requests.js';

/** Security review items, each proved here (others live in test/server.test.ts and test/cli.test.ts). */

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function pool(
  provider: ProviderName,
  buckets: string[],
  environment: NodeJS.ProcessEnv = {},
  warnings: string[] = [],
): Promise<{ harness: Harness; url: string; tokens: string[] }> {
  // evil.example is a name this switchyard answers to, so that the test shows it still moves nothing.
  harness = await createHarness({ configExtra: 'server:\n  allowedHosts: [evil.example]\n' });
  const tokens: string[] = [];
  for (const bucket of buckets) {
    const { accessToken, refreshToken } = await harness.addBucket(provider, bucket);
    tokens.push(accessToken, refreshToken);
  }
  await harness.writeProfile('pool', `type: model\nprovider: ${provider}\nbuckets: [${buckets.join(', ')}]\n`);
  const url = (await harness.startRouter({ profile: 'pool', environment, warn: (message) => warnings.push(message) }))
    .url;
  return { harness, url, tokens };
}

describe('administration', () => {
  it('needs the admin key on every token and profile route when one is set, and the client key is not enough', async () => {
    const { url } = await pool('anthropic', ['a'], {
      SWITCHYARD_API_KEY: 'client-key',
      SWITCHYARD_ADMIN_KEY: 'admin-key',
    });
    await harness!.writeProfile('other', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    const routes: [string, string, string | undefined][] = [
      ['GET', '/auth/anthropic/status', undefined],
      ['POST', '/auth/anthropic/refresh?bucket=a', undefined],
      ['DELETE', '/auth/anthropic/revoke?bucket=a', undefined],
      ['PUT', '/profiles/active', '{"profile":"other"}'],
    ];
    for (const [method, path, body] of routes) {
      for (const key of [undefined, 'client-key', 'wrong']) {
        const answer = await fetch(`${url}${path}`, {
          method,
          headers: {
            ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body } : {}),
        });
        expect({ method, path, key, status: answer.status }).toEqual({ method, path, key, status: 401 });
        expect(await answer.json()).toEqual({
          error: {
            message: 'This route needs the admin key (SWITCHYARD_ADMIN_KEY) as "Authorization: Bearer <key>".',
            code: 'admin_key_required',
          },
        });
      }
    }
    // Nothing changed behind the refusals: the token is still there and the profile is still active.
    expect(
      (await fetch(`${url}/auth/anthropic/status`, { headers: { authorization: 'Bearer admin-key' } })).status,
    ).toBe(200);
    expect(await (await fetch(`${url}/profiles/active`, { headers: { 'x-api-key': 'client-key' } })).json()).toEqual({
      profile: 'pool',
    });
    expect(
      (
        await fetch(`${url}/profiles/active`, {
          method: 'PUT',
          headers: { authorization: 'Bearer admin-key', 'content-type': 'application/json' },
          body: '{"profile":"other"}',
        })
      ).status,
    ).toBe(200);
  });
});

describe.each(formatDrivers)('requests in the $format format (served by $provider)', (driver) => {
  it('cannot be sent to another host or path by any request header', async () => {
    const { url } = await pool(driver.provider, ['a']);
    const request = rawRequestOf(driver.format, driver.model);
    const redirecting = {
      host: 'evil.example',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '203.0.113.7',
      forwarded: 'host=evil.example;proto=https',
      'x-original-url': '/evil',
      'x-rewrite-url': '/evil',
      'x-http-method-override': 'DELETE',
      'x-switchyard-base-url': 'http://evil.example',
      'x-base-url': 'http://evil.example',
      'anthropic-base-url': 'http://evil.example',
      'openai-base-url': 'http://evil.example',
      'x-goog-api-base': 'http://evil.example',
      'x-switchyard-bucket': 'a/../../b',
      'x-switchyard-provider': 'openai',
      'x-switchyard-session': '../../etc',
    };
    const answer = await postRaw(url, request.path, JSON.stringify(request.body), redirecting);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-switchyard-bucket')).toBe(`${driver.provider}/a`);
    // It reached the configured provider (the simulator) for bucket a, and nothing else.
    expect(harness!.simulator.counts(`${driver.provider}-a`).requests).toBe(1);
    expect(harness!.simulator.totalRequests()).toBe(1);
  });
});

describe('secrets in output', () => {
  it('never shows a token in answers, headers, statistics, status routes, warnings or stats.json, even through refreshes and failures', async () => {
    const warnings: string[] = [];
    const { url, tokens } = await pool('anthropic', ['a', 'b'], {}, warnings);
    const simulator = harness!.simulator;
    simulator.script('anthropic-a', [
      { kind: 'unauthorized' },
      { kind: 'server-error' },
      { kind: 'rate-limit', style: 'anthropic-unified', resetSeconds: 60 },
    ]);
    simulator.script('anthropic-b', [{ kind: 'unauthorized' }, { kind: 'unauthorized' }]);
    const request = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');
    const outputs: string[] = [];
    for (let index = 0; index < 6; index += 1) {
      const stream = index % 2 === 1;
      const response = await fetch(`${url}${request.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...request.body, stream }),
      });
      outputs.push(JSON.stringify([...response.headers]), await response.text());
    }
    // Rotated tokens too: whatever the token files hold now.
    for (const bucket of ['a', 'b']) {
      const stored = JSON.parse(await readFile(tokenFilePath(harness!.paths, 'anthropic', bucket), 'utf8')) as {
        access_token: string;
        refresh_token: string;
      };
      tokens.push(stored.access_token, stored.refresh_token);
    }
    for (const path of [
      '/stats/buckets',
      '/auth/anthropic/status',
      '/health',
      '/profiles/active',
      '/v1/models',
      '/metrics',
    ])
      outputs.push(await (await fetch(`${url}${path}`)).text());
    outputs.push(await (await fetch(`${url}/auth/anthropic/refresh?bucket=a`, { method: 'POST' })).text());
    await harness!.router().close();
    outputs.push(await readFile(harness!.paths.stats, 'utf8'), ...warnings);
    expect(new Set(tokens).size).toBeGreaterThan(4);
    for (const token of tokens)
      for (const output of outputs)
        expect(output.includes(token), `${token.slice(0, 12)}… in ${output.slice(0, 120)}`).toBe(false);
  });
});

describe('files on disk', () => {
  it('keeps every file under SWITCHYARD_HOME at 0600 and every folder at 0700 after a server has run', async () => {
    const { url } = await pool('anthropic', ['a']);
    const request = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');
    harness!.simulator.script('anthropic-a', [{ kind: 'unauthorized' }]);
    expect((await postRaw(url, request.path, JSON.stringify(request.body))).status).toBe(200);
    await harness!.writeProfile('other', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    const switched = await fetch(`${url}/profiles/active`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"profile":"other"}',
    });
    expect(switched.status).toBe(200);
    await harness!.router().close();
    const wrong: string[] = [];
    const seen: string[] = [];
    const walk = async (directory: string): Promise<void> => {
      if (((await stat(directory)).mode & 0o777) !== 0o700) wrong.push(directory);
      for (const entry of await readdir(directory, { withFileTypes: true })) {
        const path = join(directory, entry.name);
        seen.push(path.slice(harness!.home.length + 1));
        if (entry.isDirectory()) await walk(path);
        else if (((await stat(path)).mode & 0o777) !== 0o600) wrong.push(path);
      }
    };
    await walk(harness!.home);
    expect(seen).toEqual(
      expect.arrayContaining([
        'config.yaml',
        'stats.json',
        join('oauth', 'anthropic', 'a.json'),
        join('profiles', 'other.yaml'),
      ]),
    );
    expect(wrong).toEqual([]);
  });
});

describe('damaged and hostile files', () => {
  it('reports a corrupt token file clearly, routes around it, and never overwrites it', async () => {
    const { url } = await pool('anthropic', ['a', 'b']);
    const path = tokenFilePath(harness!.paths, 'anthropic', 'a');
    await writeFile(path, '{"access_token": "half a fi', { mode: 0o600 });
    const request = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');
    const answer = await postRaw(url, request.path, JSON.stringify(request.body));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-switchyard-attempts')).toBe('anthropic/a:credential-error,anthropic/b:200');
    const status = (await (await fetch(`${url}/auth/anthropic/status?bucket=a`)).json()) as {
      buckets: { bucket: string; status: string; error?: string }[];
    };
    expect(status.buckets.find((bucket) => bucket.bucket === 'a')).toMatchObject({
      status: 'unreadable',
      error: expect.stringMatching(/a\.json is not valid JSON .*It was left untouched; fix or remove it by hand\.$/),
    });
    const refresh = await fetch(`${url}/auth/anthropic/refresh?bucket=a`, { method: 'POST' });
    expect(refresh.status).toBe(409);
    await harness!.router().close();
    expect(await readFile(path, 'utf8')).toBe('{"access_token": "half a fi');
  });

  it('starts with a corrupt stats.json, says so, keeps counting in memory and never overwrites it', async () => {
    const warnings: string[] = [];
    harness = await createHarness();
    await harness.addBucket('anthropic', 'a');
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    await writeFile(harness.paths.stats, '{"version":1,"buckets":', { mode: 0o600 });
    const url = (await harness.startRouter({ profile: 'pool', warn: (message) => warnings.push(message) })).url;
    const request = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');
    expect((await postRaw(url, request.path, JSON.stringify(request.body))).status).toBe(200);
    const statistics = (await (await fetch(`${url}/stats/buckets`)).json()) as {
      buckets: { key: string; requests: number }[];
    };
    expect(statistics.buckets.find((bucket) => bucket.key === 'anthropic/a')?.requests).toBe(1);
    await harness.router().close();
    expect(warnings).toEqual([
      expect.stringMatching(/stats\.json is not valid JSON .* Statistics are kept in memory only until it is fixed\.$/),
    ]);
    expect(await readFile(harness.paths.stats, 'utf8')).toBe('{"version":1,"buckets":');
  });

  it("refuses a profile that is an alias bomb or too large, in the caller's format, and keeps serving", async () => {
    const { url } = await pool('anthropic', ['a']);
    const bomb = [
      'type: model',
      'provider: anthropic',
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'buckets: [a]',
      '',
    ].join('\n');
    await harness!.writeProfile('bomb', bomb);
    await harness!.writeProfile(
      'huge',
      `type: model\nprovider: anthropic\nbuckets: [a]\n# ${'x'.repeat(300 * 1024)}\n`,
    );
    const request = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');
    const bombed = await postRaw(url, request.path, JSON.stringify(request.body), { 'x-switchyard-profile': 'bomb' });
    expect(bombed.status).toBe(400);
    expect(errorOf('anthropic-messages', bombed.body).message).toMatch(
      /bomb\.yaml: too many aliases \(.*\) — use `\*alias` only a few times, or write the values out$/,
    );
    const huge = await postRaw(url, request.path, JSON.stringify(request.body), { 'x-switchyard-profile': 'huge' });
    expect(huge.status).toBe(400);
    expect(errorOf('anthropic-messages', huge.body).message).toMatch(
      /huge\.yaml: the file is \d+ bytes, over the limit of 262144 — /,
    );
    expect((await postRaw(url, request.path, JSON.stringify(request.body))).status).toBe(200);
  });

  it('refuses to start on a config.yaml that is an alias bomb, naming the file', async () => {
    harness = await createHarness();
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      '',
    ].join('\n');
    await writePrivateFile(harness.paths.config, bomb);
    await expect(
      startServer({ paths: harness.paths, port: 0, announce: false, warn: () => undefined }),
    ).rejects.toThrow(new RegExp(`^${harness.paths.config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: too many aliases`));
  });
});
