import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writePrivateFile } from '../src/config/secure-files.js';
import { createHarness, type Harness } from './support/harness.js';
import { errorOf, postRaw, rawRequestOf } from './support/raw-requests.js';
import { runBinary, startServeProcess } from './support/run-binary.js';

/**
 * Edits of config.yaml and of profiles take effect in a running `serve`, without a restart, through
 * the real binary: serve logs what changed, and a broken edit keeps the last good settings and says why.
 */

let harness: Harness | undefined;
const servers: { stop: () => Promise<void> }[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  await harness?.close();
  harness = undefined;
});

const messages = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');

async function send(url: string) {
  return postRaw(url, messages.path, JSON.stringify(messages.body), { 'anthropic-version': '2023-06-01' });
}

async function serve(profile: string) {
  const environment = { SWITCHYARD_HOME: harness!.home, HOME: harness!.home };
  const server = await startServeProcess(['--port', '0', '--profile', profile, '--log-level', 'warn'], environment);
  servers.push(server);
  return server;
}

/** Waits until serve's stderr has printed `text` `times` times in all. */
async function logged(server: { output: () => { stderr: string } }, text: string, times = 1): Promise<void> {
  await vi.waitFor(() => expect(server.output().stderr.split(text).length - 1).toBeGreaterThanOrEqual(times), {
    timeout: 10_000,
    interval: 50,
  });
}

async function poolOf(...buckets: string[]) {
  harness = await createHarness();
  for (const bucket of buckets) await harness.addBucket('anthropic', bucket, { expiresInSeconds: 90 * 86_400 });
  return harness;
}

describe('a running serve and edits of its profile', () => {
  it('routes by the edited profile at once and logs it; a broken edit keeps the last good chain and says why', {
    timeout: 30_000,
  }, async () => {
    const home = await poolOf('a', 'b');
    await home.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, b]\n');
    const server = await serve('pool');
    expect((await send(server.url)).headers.get('x-switchyard-bucket')).toBe('anthropic/a');

    await home.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [b, a]\n');
    await logged(server, 'switchyard: profile "pool" reloaded: anthropic/b -> anthropic/a\n');
    const reordered = await send(server.url);
    expect(reordered.status).toBe(200);
    expect(reordered.headers.get('x-switchyard-bucket')).toBe('anthropic/b');

    await home.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, b\n');
    await logged(
      server,
      'switchyard: profile "pool" was edited but cannot be used, so it keeps its last good version: ',
    );
    const stderr = server.output().stderr;
    expect(stderr).toMatch(/keeps its last good version: .*pool\.yaml/);
    const kept = await send(server.url);
    expect(kept.status).toBe(200);
    expect(kept.headers.get('x-switchyard-bucket')).toBe('anthropic/b');
  });
});

describe('a running serve and edits of config.yaml', () => {
  it('takes a provider turned off and on, logs each change, and keeps the last good settings past a broken edit', {
    timeout: 30_000,
  }, async () => {
    const home = await poolOf('a');
    await home.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    const environment = { SWITCHYARD_HOME: home.home, HOME: home.home };
    const server = await serve('pool');
    expect((await send(server.url)).status).toBe(200);

    expect(await runBinary(['auth', 'anthropic', 'disable'], environment)).toMatchObject({ code: 0 });
    await logged(server, 'switchyard: config.yaml reloaded: providers.anthropic.oauthEnabled changed.\n');
    const disabled = await send(server.url);
    expect(disabled.status).toBe(503);
    expect(errorOf('anthropic-messages', disabled.body).message).toBe(
      'No bucket of profile "pool" can serve, and none comes back by itself: anthropic/a is disabled ' +
        '(OAuth of anthropic is turned off); run: switchyard auth anthropic enable.',
    );

    // A broken edit (YAML that does not parse): the server keeps serving with the settings it had.
    const good = await readFile(home.paths.config, 'utf8');
    await writeFile(home.paths.config, `${good}routing: [\n`);
    await logged(server, 'was edited but cannot be used, so the server keeps its last good settings: ');
    expect(server.output().stderr).toContain(
      `switchyard: ${home.paths.config} was edited but cannot be used, so the server keeps its last good settings: `,
    );
    expect((await send(server.url)).status).toBe(503);

    // Fixed again, with the provider back on and a setting only read at start.
    await writePrivateFile(
      home.paths.config,
      good.replace('oauthEnabled: false', 'oauthEnabled: true').concat('server:\n  port: 9999\n'),
    );
    await logged(
      server,
      'switchyard: config.yaml reloaded: providers.anthropic.oauthEnabled changed; ' +
        'server.port changed and takes effect at the next start.\n',
    );
    const served = await send(server.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('x-switchyard-bucket')).toBe('anthropic/a');
  });

  it('accepts a client added with `client add` at once, and refuses requests without a key from then on', {
    timeout: 30_000,
  }, async () => {
    const home = await poolOf('a');
    await home.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    const environment = { SWITCHYARD_HOME: home.home, HOME: home.home };
    const server = await serve('pool');
    expect((await send(server.url)).status).toBe(200);

    const added = await runBinary(['client', 'add', 'alice'], environment);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('a running `switchyard serve` takes it at once.');
    const key = /\n\n {2}(\S+)\n\n/.exec(added.stdout)?.[1];
    expect(key).toBeDefined();
    await logged(server, 'switchyard: config.yaml reloaded: clients changed.\n');
    expect((await send(server.url)).status).toBe(401);
    const withKey = await postRaw(server.url, messages.path, JSON.stringify(messages.body), {
      'anthropic-version': '2023-06-01',
      'x-api-key': key!,
    });
    expect(withKey.status).toBe(200);
  });
});
