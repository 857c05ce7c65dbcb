import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashClientKey } from '../src/clients/key-hash.js';
import { resolvePaths, tokenFilePath } from '../src/config/paths.js';
import { writePrivateFile, writePrivateJson } from '../src/config/secure-files.js';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw, rawRequestOf } from './support/raw-requests.js';
import { startServeProcess } from './support/run-binary.js';

const aliceKey = 'sy-alice-0123456789abcdefghijklmnopqrstuvwxyz';
const bobKey = 'sy-bob-0123456789abcdefghijklmnopqrstuvwxyz';
const teamKey = 'sy-team-0123456789abcdefghijklmnopqrstuvwxyz';
const clientsYaml = `clients:
  - name: alice
    keyHash: ${hashClientKey(aliceKey)}
    profiles: [pool]
  - name: bob
    keyEnv: BOB_SWITCHYARD_KEY
`;

/** Every route that administers the pool, and a body where it takes one. */
const administration: [string, string, string | undefined][] = [
  ['GET', '/auth/anthropic/status', undefined],
  ['POST', '/auth/anthropic/refresh?bucket=a', undefined],
  ['DELETE', '/auth/anthropic/revoke?bucket=a', undefined],
  ['GET', '/auth/anthropic/health', undefined],
  ['PUT', '/profiles/active', '{"profile":"other"}'],
  ['GET', '/metrics', undefined],
  ['GET', '/dashboard/data', undefined],
  ['GET', '/stats/clients', undefined],
];

let harness: Harness;
let url: string;

async function start(environment: NodeJS.ProcessEnv = {}) {
  harness = await createHarness({ configExtra: clientsYaml });
  for (const bucket of ['a', 'b']) await harness.addBucket('anthropic', bucket);
  await harness.addBucket('openai', 'o', { apiKey: true });
  await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [a, b]\n');
  await harness.writeProfile('other', 'type: model\nprovider: openai\nmodel: gpt-4.1\nbuckets: [o]\n');
  url = (await harness.startRouter({ profile: 'pool', environment: { BOB_SWITCHYARD_KEY: bobKey, ...environment } }))
    .url;
}

const call = (method: string, path: string, key: string, body?: string) =>
  fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body } : {}),
  });

afterEach(async () => {
  await harness?.close();
});

describe('administration with client keys', () => {
  it("refuses every administration route to a client key with 403, and lets SWITCHYARD_API_KEY's key administer", async () => {
    await start({ SWITCHYARD_API_KEY: teamKey });
    for (const [method, path, body] of administration) {
      for (const [name, key] of [
        ['alice', aliceKey],
        ['bob', bobKey],
      ] as const) {
        const answer = await call(method, path, key, body);
        expect({ method, path, name, status: answer.status }).toEqual({ method, path, name, status: 403 });
        expect(await answer.json()).toEqual({
          error: {
            message:
              `Client "${name}" may not administer this switchyard: only the key in SWITCHYARD_ADMIN_KEY may, ` +
              'or, while none is set, the key in SWITCHYARD_API_KEY.',
            code: 'administration_not_allowed',
          },
        });
      }
    }
    // Nothing changed behind the refusals: the login is still stored, the profile still active.
    expect(existsSync(tokenFilePath(harness.paths, 'anthropic', 'a'))).toBe(true);
    expect(await (await call('GET', '/profiles/active', aliceKey)).json()).toEqual({ profile: 'pool' });
    for (const [method, path, body] of administration) {
      if (method === 'DELETE' || method === 'PUT') continue;
      expect({ path, status: (await call(method, path, teamKey, body)).status }).toEqual({ path, status: 200 });
    }
    expect((await call('PUT', '/profiles/active', teamKey, '{"profile":"other"}')).status).toBe(200);
    expect((await call('DELETE', '/auth/anthropic/revoke?bucket=a', teamKey)).status).toBe(200);
    expect(existsSync(tokenFilePath(harness.paths, 'anthropic', 'a'))).toBe(false);
  });

  it('lets no client key administer when neither SWITCHYARD_ADMIN_KEY nor SWITCHYARD_API_KEY is set', async () => {
    await start();
    const answer = await call('DELETE', '/auth/anthropic/revoke?bucket=a', bobKey);
    expect(answer.status).toBe(403);
    expect(((await answer.json()) as { error: { message: string } }).error.message).toBe(
      'Client "bob" may not administer this switchyard: only the key in SWITCHYARD_ADMIN_KEY may, or the key ' +
        'in SWITCHYARD_API_KEY while no admin key is set; neither is set where switchyard runs.',
    );
    expect(existsSync(tokenFilePath(harness.paths, 'anthropic', 'a'))).toBe(true);
  });

  it('shows a client limited to some profiles the statistics of their buckets only', async () => {
    await start({ SWITCHYARD_API_KEY: teamKey });
    const messages = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');
    const chat = rawRequestOf('openai-chat', 'gpt-4.1');
    expect((await postRaw(url, messages.path, JSON.stringify(messages.body), { 'x-api-key': aliceKey })).status).toBe(
      200,
    );
    const other = { 'x-api-key': bobKey, 'x-switchyard-profile': 'other' };
    expect((await postRaw(url, chat.path, JSON.stringify(chat.body), other)).status).toBe(200);
    const bucketsSeenBy = async (key: string) => {
      const answer = (await (await call('GET', '/stats/buckets', key)).json()) as {
        profile: string | null;
        buckets: { key: string; requests: number }[];
      };
      return { profile: answer.profile, buckets: answer.buckets.map((bucket) => bucket.key).sort() };
    };
    expect(await bucketsSeenBy(aliceKey)).toEqual({ profile: 'pool', buckets: ['anthropic/a', 'anthropic/b'] });
    expect(await bucketsSeenBy(bobKey)).toEqual({
      profile: 'pool',
      buckets: ['anthropic/a', 'anthropic/b', 'openai/o'],
    });
    expect(await bucketsSeenBy(teamKey)).toEqual(await bucketsSeenBy(bobKey));
    // Once everyone is switched to a profile alice may not use, she is not told its name.
    expect((await call('PUT', '/profiles/active', teamKey, '{"profile":"other"}')).status).toBe(200);
    expect(await bucketsSeenBy(aliceKey)).toEqual({ profile: null, buckets: ['anthropic/a', 'anthropic/b'] });
  });
});

describe('model lists with client keys', () => {
  const models = async (key: string, profile?: string) => {
    const answer = await fetch(`${url}/v1/models`, {
      headers: { authorization: `Bearer ${key}`, ...(profile ? { 'x-switchyard-profile': profile } : {}) },
    });
    return { status: answer.status, body: (await answer.json()) as { data?: { id: string }[]; error?: unknown } };
  };

  it("refuses a client the model list of a profile it may not use, as it refuses that profile's requests", async () => {
    await start({ SWITCHYARD_API_KEY: teamKey });
    const refusal = {
      status: 403,
      body: {
        error: {
          message:
            'Client "alice" may not use profile "other"; it may use pool: send one in the x-switchyard-profile header.',
          type: 'permission_error',
          code: 'profile_not_allowed',
        },
      },
    };
    expect(await models(aliceKey, 'other')).toMatchObject(refusal);
    expect((await models(bobKey, 'other')).body.data?.map((model) => model.id)).toEqual(['gpt-4.1']);
    expect((await models(aliceKey)).body.data?.map((model) => model.id)).toEqual(['claude-sonnet-4-6']);
    // Once everyone is switched to a profile alice may not use, its models are not listed to her.
    expect((await call('PUT', '/profiles/active', teamKey, '{"profile":"other"}')).status).toBe(200);
    expect(await models(aliceKey)).toMatchObject(refusal);
    expect((await models(aliceKey, 'pool')).status).toBe(200);
    expect(await models(bobKey, 'nowhere')).toMatchObject({
      status: 404,
      body: { error: { code: 'unknown_profile' } },
    });
  });
});

describe('serve', () => {
  let home: string | undefined;

  afterEach(async () => {
    if (home !== undefined) await rm(home, { recursive: true, force: true });
  });

  it('says at start who may administer, and refuses a client key that tries', async () => {
    home = await mkdtemp(join(tmpdir(), 'switchyard-administration-'));
    const paths = resolvePaths({ SWITCHYARD_HOME: home });
    await writePrivateFile(paths.config, clientsYaml);
    await writePrivateJson(tokenFilePath(paths, 'anthropic', 'a'), { type: 'api_key', env: 'UNUSED_KEY' });
    const environment = { SWITCHYARD_HOME: home, HOME: home, BOB_SWITCHYARD_KEY: bobKey };
    const withoutAdmin = await startServeProcess(['--port', '0'], environment);
    try {
      expect(withoutAdmin.output().stdout).toContain(
        '  Administration (/auth/*, profile switching, /metrics, dashboard data): ' +
          'nobody over HTTP (client keys may not); set SWITCHYARD_ADMIN_KEY to allow it\n',
      );
      const refused = await fetch(`${withoutAdmin.url}/auth/anthropic/revoke?bucket=a`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${aliceKey}` },
      });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('administration_not_allowed');
      expect(existsSync(tokenFilePath(paths, 'anthropic', 'a'))).toBe(true);
    } finally {
      await withoutAdmin.stop();
    }
    const withAdmin = await startServeProcess(['--port', '0'], { ...environment, SWITCHYARD_ADMIN_KEY: teamKey });
    try {
      expect(withAdmin.output().stdout).toContain(
        '  Administration (/auth/*, profile switching, /metrics, dashboard data): the key in SWITCHYARD_ADMIN_KEY only\n',
      );
    } finally {
      await withAdmin.stop();
    }
  });
});
