import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';

const poolYaml = 'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [primary]\n';
const adminKey = 'refusals-admin-key';

/** Every action the dashboard's Buckets view sends, as the page sends it. */
const actions: { name: string; method: string; path: string; body?: unknown }[] = [
  { name: 'pause', method: 'POST', path: '/buckets/anthropic/primary/pause', body: {} },
  { name: 'resume', method: 'POST', path: '/buckets/anthropic/primary/resume', body: {} },
  { name: 'reset', method: 'POST', path: '/buckets/anthropic/primary/reset', body: {} },
  { name: 'log out', method: 'DELETE', path: '/auth/anthropic/revoke?bucket=primary' },
  { name: 'add a key bucket', method: 'POST', path: '/auth/anthropic/key', body: { bucket: 'team', env: 'TEAM_KEY' } },
  { name: 'start a login', method: 'POST', path: '/auth/anthropic/login', body: { bucket: 'web' } },
  { name: 'paste a code', method: 'POST', path: '/auth/anthropic/login/some-id/code', body: { code: 'a#b' } },
  { name: 'follow a login', method: 'GET', path: '/auth/anthropic/login/some-id' },
  { name: 'cancel a login', method: 'DELETE', path: '/auth/anthropic/login/some-id' },
  { name: 'list profiles', method: 'GET', path: '/profiles' },
  {
    name: 'create a profile',
    method: 'POST',
    path: '/profiles',
    body: { name: 'fresh', provider: 'anthropic', buckets: ['primary'] },
  },
  { name: 'load a profile', method: 'PUT', path: '/profiles/active', body: { profile: 'pool' } },
  { name: 'set the default', method: 'PUT', path: '/profiles/default', body: { profile: 'pool' } },
  { name: 'edit a profile', method: 'PATCH', path: '/profiles/pool', body: { buckets: ['primary', 'second'] } },
];

describe("the dashboard's actions are admin routes that other sites' pages cannot use", () => {
  let harness: Harness;
  let url: string;

  beforeEach(async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'primary');
    await harness.writeProfile('pool', poolYaml);
    ({ url } = await harness.startRouter({ profile: 'pool', environment: { SWITCHYARD_ADMIN_KEY: adminKey } }));
  });

  afterEach(async () => {
    await harness.close();
  });

  const send = async (action: (typeof actions)[number], headers: Record<string, string>) => {
    const response = await fetch(`${url}${action.path}`, {
      method: action.method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(action.body === undefined ? {} : { body: JSON.stringify(action.body) }),
    });
    const answer = (await response.json()) as { error?: { message?: string; code?: string } };
    return { status: response.status, message: answer.error?.message, code: answer.error?.code };
  };

  it.each(actions)('refuses to $name without the admin key, and with a wrong one', async (action) => {
    expect(await send(action, {})).toEqual({
      status: 401,
      message: 'This route needs the admin key (SWITCHYARD_ADMIN_KEY) as "Authorization: Bearer <key>".',
      code: 'admin_key_required',
    });
    expect((await send(action, { authorization: 'Bearer not-the-key' })).status).toBe(401);
  });

  it.each(actions)('refuses to $name from another site, even with the admin key', async (action) => {
    const refused = await send(action, { authorization: `Bearer ${adminKey}`, origin: 'https://evil.example' });
    expect(refused).toEqual({
      status: 403,
      message:
        'Requests from the web page at https://evil.example are refused: a page the user opens must not spend ' +
        'the accounts. To allow that origin, add it to server.allowedOrigins in config.yaml.',
      code: 'origin_not_allowed',
    });
  });

  it('changes nothing when it refuses', async () => {
    for (const action of actions) {
      await send(action, {});
      await send(action, { authorization: `Bearer ${adminKey}`, origin: 'https://evil.example' });
    }
    expect(await readFile(join(harness.paths.profiles, 'pool.yaml'), 'utf8')).toBe(poolYaml);
    const buckets = (await (
      await fetch(`${url}/stats/buckets`, { headers: { authorization: `Bearer ${adminKey}` } })
    ).json()) as { buckets: { key: string; paused: boolean }[] };
    expect(buckets.buckets.find((bucket) => bucket.key === 'anthropic/primary')?.paused).toBe(false);
    const profiles = await fetch(`${url}/profiles`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(
      ((await profiles.json()) as { profiles: { name: string }[] }).profiles.map((entry) => entry.name),
    ).not.toContain('fresh');
  });
});
