import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/provider-simulator/index.js';
import { freePort } from '../support/free-port.js';
import { simulatorConfig } from '../support/harness.js';
import {
  buildImage,
  dockerfileNodeMajor,
  podman,
  prepareContainerHost,
  testBase,
  uniqueName,
} from '../support/podman.js';
import { deletePrefix, eventually, randomPrefix, sharedRedisUrl } from '../support/redis.js';

/**
 * Issue 23: the Dockerfile users build, built here and run. The first FROM is replaced by a local
 * base (no registry is reachable); everything else is the file as shipped, and the commands are
 * README's "Containers" commands with the sandbox's host networking and free ports.
 */
const image = 'localhost/switchyard:test';
// The container user (uid 1000, `node`) must read what the test mounts into it.
const containerUser = 1000;
const clientKey = randomBytes(32).toString('hex');
const tokenKey = randomBytes(32).toString('base64');

let simulator: Simulator;
let scratch: string;
const containers: string[] = [];
const volumes: string[] = [];

beforeAll(async () => {
  await prepareContainerHost();
  await buildImage(image);
  simulator = await startSimulator();
  scratch = await mkdtemp(join(tmpdir(), 'switchyard-containers-'));
  await chown(scratch, containerUser, containerUser);
}, 1_500_000);

afterAll(async () => {
  if (containers.length > 0) await podman(['rm', '--force', '--time', '2', ...containers], { allowFailure: true });
  if (volumes.length > 0) await podman(['volume', 'rm', '--force', ...volumes], { allowFailure: true });
  await simulator?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
}, 60_000);

/** A simulator account's tokens as a file the container user can read, mounted read-only. */
async function tokenFile(account: string, options: { expired?: boolean } = {}): Promise<string> {
  const credentials = simulator.addAccount(account);
  const file = join(scratch, `${account}.json`);
  const expiresAt = options.expired ? Math.floor(Date.now() / 1000) - 60 : credentials.expiresAt;
  await writeFile(
    file,
    JSON.stringify({
      access_token: credentials.accessToken,
      refresh_token: credentials.refreshToken,
      expires_at: expiresAt,
      account_id: credentials.accountId,
    }),
    { mode: 0o600 },
  );
  await chown(file, containerUser, containerUser);
  return file;
}

/** `podman create` + `podman cp config.yaml` + `podman start`, as README's custom-config steps. */
async function startContainer(options: {
  volume: string;
  port: number;
  environment?: Record<string, string>;
}): Promise<{ name: string; url: string }> {
  const name = uniqueName('serve');
  containers.push(name);
  const environment = Object.entries({ SWITCHYARD_API_KEY: clientKey, ...options.environment }).flatMap(
    ([key, value]) => ['--env', `${key}=${value}`],
  );
  await podman([
    'create',
    '--name',
    name,
    '--network=host',
    '--volume',
    `${options.volume}:/data`,
    ...environment,
    image,
    'serve',
    '--host',
    '0.0.0.0',
    '--port',
    String(options.port),
  ]);
  const config = join(scratch, `${name}.yaml`);
  await writeFile(config, simulatorConfig(simulator.url));
  await podman(['cp', config, `${name}:/data/config.yaml`]);
  await podman(['start', name]);
  const url = `http://127.0.0.1:${options.port}`;
  await untilHealthy(url, name);
  return { name, url };
}

async function untilHealthy(url: string, name: string): Promise<void> {
  await eventually(
    async () => (await fetch(`${url}/health`).catch(() => null))?.ok === true,
    60_000,
    `container ${name} to answer GET /health (logs: ${(await podman(['logs', name], { allowFailure: true })).stderr})`,
  );
}

function clientOf(url: string): Anthropic {
  return new Anthropic({ baseURL: url, apiKey: clientKey, maxRetries: 0 });
}

async function ask(
  url: string,
  profile: string,
): Promise<{ text: string; bucket: string | null; trail: string | null }> {
  const { data, response } = await clientOf(url)
    .messages.create(
      { model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] },
      { headers: { 'x-switchyard-profile': profile } },
    )
    .withResponse();
  const text = data.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  return {
    text,
    bucket: response.headers.get('x-switchyard-bucket'),
    trail: response.headers.get('x-switchyard-attempts'),
  };
}

async function createVolume(): Promise<string> {
  const volume = uniqueName('data');
  volumes.push(volume);
  await podman(['volume', 'create', volume]);
  return volume;
}

/** `podman run --rm IMAGE auth anthropic import BUCKET --from FILE` with the file mounted read-only. */
async function importLogin(options: { volume: string; bucket: string; file: string; environment?: string[] }) {
  return podman([
    'run',
    '--rm',
    '--network=host',
    '--volume',
    `${options.volume}:/data`,
    '--volume',
    `${options.file}:/import/credentials.json:ro`,
    ...(options.environment ?? []),
    image,
    'auth',
    'anthropic',
    'import',
    options.bucket,
    '--from',
    '/import/credentials.json',
  ]);
}

// Each step starts containers and waits on them; the machine may be busy with the rest of the suite.
describe('the container image', { timeout: 180_000 }, () => {
  it('is built from the Node.js major the local base stands in for', async () => {
    expect(await dockerfileNodeMajor()).toBe(testBase.node.split('.')[0]);
  });

  it('runs as the unprivileged user with SWITCHYARD_HOME on /data', async () => {
    const inspected = JSON.parse((await podman(['image', 'inspect', image])).stdout) as {
      Config: { User: string; Env: string[]; Volumes: Record<string, unknown> };
      Healthcheck?: { Test: string[] };
    }[];
    const config = inspected[0]!.Config;
    expect(config.User).toBe('node');
    expect(config.Env).toContain('SWITCHYARD_HOME=/data');
    expect(Object.keys(config.Volumes)).toEqual(['/data']);
    expect(inspected[0]!.Healthcheck?.Test).toEqual(['CMD', 'node', '/app/container/health-check.mjs']);
    const identity = await podman(['run', '--rm', '--entrypoint', 'id', image]);
    expect(identity.stdout).toContain('uid=1000(node)');
  });

  it('refuses to listen on 0.0.0.0 without a client key, and says how to fix it', async () => {
    const name = uniqueName('nokey');
    containers.push(name);
    const refused = await podman(['run', '--name', name, '--network=host', image], { allowFailure: true });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Refusing to listen on 0.0.0.0 without client keys');
    expect(refused.stderr).toContain('SWITCHYARD_API_KEY');
  });

  it('serves through the simulator, passes its health check, drains on SIGTERM and keeps tokens across a restart', async () => {
    const volume = await createVolume();
    const port = await freePort();
    // An expired login: the first request refreshes it, and the simulator rotates the refresh token.
    const file = await tokenFile('container-solo', { expired: true });
    const { name, url } = await startContainer({ volume, port });
    const imported = await importLogin({ volume, bucket: 'work1', file });
    expect(imported.stdout + imported.stderr).toContain('work1');
    const saved = await podman([
      'exec',
      name,
      'switchyard',
      'profile',
      'save',
      'model',
      'solo',
      'work1',
      '--provider',
      'anthropic',
    ]);
    expect(saved.code).toBe(0);

    const first = await ask(url, 'solo');
    expect(first).toMatchObject({ bucket: 'anthropic/work1', trail: 'anthropic/work1:200' });
    expect(first.text.length).toBeGreaterThan(0);
    expect(simulator.counts('container-solo')).toMatchObject({ refreshes: 1, invalidGrants: 0 });

    const health = await podman(['healthcheck', 'run', name], { allowFailure: true });
    expect({ code: health.code, output: health.stdout + health.stderr }).toMatchObject({ code: 0 });

    // SIGTERM while a slow answer is in flight: the answer completes, then the process exits cleanly.
    simulator.setBehavior('container-solo', { kind: 'ok', delayMs: 1_500 });
    const inFlight = ask(url, 'solo');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopped = podman(['stop', '--time', '20', name]);
    await expect(inFlight).resolves.toMatchObject({ bucket: 'anthropic/work1' });
    await stopped;
    const state = JSON.parse((await podman(['inspect', name, '--format', '{{json .State}}'])).stdout) as {
      ExitCode: number;
    };
    expect(state.ExitCode).toBe(0);
    expect((await podman(['logs', name])).stderr).toContain('SIGTERM received, finishing open requests');
    simulator.setBehavior('container-solo', { kind: 'ok' });

    // After the restart the login on the volume is the rotated one: a 401 makes the server refresh
    // with it, which the simulator accepts (the refresh token it replaced would be refused).
    await podman(['start', name]);
    await untilHealthy(url, name);
    simulator.script('container-solo', [{ kind: 'unauthorized' }]);
    const afterRestart = await ask(url, 'solo');
    expect(afterRestart).toMatchObject({ bucket: 'anthropic/work1', trail: 'anthropic/work1:401,anthropic/work1:200' });
    expect(simulator.counts('container-solo')).toMatchObject({ refreshes: 2, invalidGrants: 0 });
    const files = await podman(['exec', name, 'sh', '-c', 'stat -c "%a %U %n" /data /data/oauth/anthropic/work1.json']);
    expect(files.stdout).toContain('700 node /data\n');
    expect(files.stdout).toContain('600 node /data/oauth/anthropic/work1.json');
  });

  it('two containers share one pool through Redis: a 429 seen by one makes the other skip the bucket', async () => {
    const prefix = randomPrefix();
    const cluster = [
      '--env',
      `SWITCHYARD_REDIS_URL=${sharedRedisUrl}`,
      '--env',
      `SWITCHYARD_REDIS_PREFIX=${prefix}`,
      '--env',
      `SWITCHYARD_TOKEN_KEY=${tokenKey}`,
    ];
    const environment = {
      SWITCHYARD_REDIS_URL: sharedRedisUrl,
      SWITCHYARD_REDIS_PREFIX: prefix,
      SWITCHYARD_TOKEN_KEY: tokenKey,
    };
    try {
      const [firstVolume, secondVolume] = [await createVolume(), await createVolume()];
      for (const bucket of ['primary', 'backup']) {
        const imported = await importLogin({
          volume: firstVolume,
          bucket,
          file: await tokenFile(`container-${bucket}`),
          environment: cluster,
        });
        expect(imported.code).toBe(0);
      }
      const [one, two] = await Promise.all([
        freePort().then((port) => startContainer({ volume: firstVolume, port, environment })),
        freePort().then((port) => startContainer({ volume: secondVolume, port, environment })),
      ]);
      for (const container of [one, two]) {
        await podman([
          'exec',
          container.name,
          'switchyard',
          'profile',
          'save',
          'model',
          'shared',
          'primary',
          'backup',
          '--provider',
          'anthropic',
        ]);
        const health = (await (await fetch(`${container.url}/health`)).json()) as { state: unknown };
        expect(health.state).toEqual({ backend: 'redis', connected: true });
      }

      simulator.script('container-primary', [{ kind: 'rate-limit', style: 'retry-after-seconds', resetSeconds: 3600 }]);
      expect(await ask(one.url, 'shared')).toMatchObject({
        bucket: 'anthropic/backup',
        trail: 'anthropic/primary:429,anthropic/backup:200',
      });
      await eventually(
        async () => (await ask(two.url, 'shared')).trail === 'anthropic/backup:200',
        10_000,
        'the second container to skip the bucket the first saw limited',
      );
      expect(simulator.counts('container-primary').requests).toBe(1);
    } finally {
      await deletePrefix(sharedRedisUrl, prefix);
    }
  });
});
