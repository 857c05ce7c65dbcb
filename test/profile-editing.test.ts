import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw } from './support/raw-requests.js';

const poolYaml = 'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [primary, second]\n';
const message = JSON.stringify({
  model: 'claude-sonnet-4-6',
  max_tokens: 32,
  messages: [{ role: 'user', content: 'Hi' }],
});

async function patchProfile(url: string, name: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/profiles/${name}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('PATCH /profiles/:name (editing a model profile from the dashboard)', () => {
  let harness: Harness;
  const profileText = () => readFile(join(harness.paths.profiles, 'pool.yaml'), 'utf8');

  beforeEach(async () => {
    harness = await createHarness();
    for (const bucket of ['primary', 'second']) await harness.addBucket('anthropic', bucket);
    await harness.writeProfile('pool', poolYaml);
  });

  afterEach(async () => {
    await harness.close();
  });

  it('reorders the buckets in the file, as profile save writes it, and the running server routes by the new order', async () => {
    const { url } = await harness.startRouter({ profile: 'pool' });
    const before = await postRaw(url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' });
    expect(before.headers.get('x-switchyard-bucket')).toBe('anthropic/primary');

    const answer = await patchProfile(url, 'pool', { buckets: ['second', 'primary'] });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      profile: 'pool',
      saved: { type: 'model', provider: 'anthropic', model: 'claude-sonnet-4-6', buckets: ['second', 'primary'] },
    });
    expect(await profileText()).toBe(
      'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [second, primary]\n',
    );
    const after = await postRaw(url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' });
    expect(after.headers.get('x-switchyard-bucket')).toBe('anthropic/second');
  });

  it('keeps what the edit does not name (timeouts, policy) and changes the provider and model it does', async () => {
    await harness.writeProfile('pool', `${poolYaml}policy: roundrobin\ntimeouts:\n  requestMs: 60000\n`);
    const { url } = await harness.startRouter({ profile: 'pool' });
    const answer = await patchProfile(url, 'pool', { provider: 'openai', model: 'gpt-4.1', buckets: ['main'] });
    expect(answer.status).toBe(200);
    expect(answer.body.saved).toEqual({
      type: 'model',
      provider: 'openai',
      model: 'gpt-4.1',
      buckets: ['main'],
      policy: 'roundrobin',
      timeouts: { requestMs: 60000 },
    });
  });

  it.each([
    [
      'a bucket name with path characters',
      { buckets: ['primary', '../escape'] },
      400,
      'invalid_profile',
      'Invalid bucket name "../escape": use 1-64 characters from A-Z a-z 0-9 . _ @ + - (no slashes, no "..").',
    ],
    [
      'an unknown provider',
      { provider: 'acme' },
      400,
      'invalid_provider',
      'Unknown provider "acme". Expected one of: anthropic, openai, codex, gemini, qwen (or the aliases claude, chatgpt).',
    ],
    [
      'a bucket named twice',
      { buckets: ['primary', 'primary'] },
      400,
      'invalid_profile',
      'Cannot save profile "pool": buckets[1]: bucket "primary" is listed twice \u2014 use 1-64 of A-Z a-z 0-9 . _ @ + - ' +
        '(no slashes, no "..")',
    ],
    [
      'no bucket at all',
      { buckets: [] },
      400,
      'invalid_buckets',
      'The buckets are a non-empty list of names, first = primary.',
    ],
  ])('refuses %s with the CLI message and changes nothing', async (_case, edit, status, code, expected) => {
    const { url } = await harness.startRouter({ profile: 'pool' });
    const answer = await patchProfile(url, 'pool', edit);
    expect(answer.status).toBe(status);
    const error = answer.body.error as { message: string; code: string };
    expect(error.code).toBe(code);
    expect(error.message).toBe(expected);
    expect(await profileText()).toBe(poolYaml);
  });

  it('answers 404 with the profiles there are for an unknown profile', async () => {
    const { url } = await harness.startRouter({ profile: 'pool' });
    const answer = await patchProfile(url, 'nowhere', { buckets: ['a'] });
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({ code: 'unknown_profile' });
    expect((answer.body.error as { message: string }).message).toMatch(/nowhere/);
  });

  it('needs the admin key when one is set, and writes nothing without it', async () => {
    const { url } = await harness.startRouter({
      profile: 'pool',
      environment: { SWITCHYARD_ADMIN_KEY: 'editing-admin-key' },
    });
    const refused = await patchProfile(url, 'pool', { buckets: ['second', 'primary'] });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toEqual({
      message: 'This route needs the admin key (SWITCHYARD_ADMIN_KEY) as "Authorization: Bearer <key>".',
      code: expect.any(String),
    });
    expect(await profileText()).toBe(poolYaml);
    const allowed = await patchProfile(
      url,
      'pool',
      { buckets: ['second', 'primary'] },
      { authorization: 'Bearer editing-admin-key' },
    );
    expect(allowed.status).toBe(200);
  });
});
