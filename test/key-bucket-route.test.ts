import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenFilePath } from '../src/config/paths.js';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw } from './support/raw-requests.js';

const message = JSON.stringify({
  model: 'claude-sonnet-4-6',
  max_tokens: 32,
  messages: [{ role: 'user', content: 'Hi' }],
});

async function addKey(url: string, provider: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/auth/${provider}/key`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /auth/{provider}/key (an API-key bucket by the name of its variable)', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await createHarness();
    await harness.writeProfile(
      'keyed',
      'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [team]\n',
    );
  });

  afterEach(async () => {
    await harness.close();
  });

  it('stores the variable name only, as `auth PROVIDER key BUCKET --env VAR` does, and the bucket serves', async () => {
    const account = harness.simulator.addAccount('anthropic-team');
    const { url } = await harness.startRouter({ profile: 'keyed', environment: { TEAM_KEY: account.apiKey } });
    const answer = await addKey(url, 'anthropic', { bucket: 'team', env: 'TEAM_KEY' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      provider: 'anthropic',
      bucket: 'team',
      env: 'TEAM_KEY',
      variableSet: true,
      message: 'Bucket anthropic/team reads its API key from $TEAM_KEY at run time; the key is never written to disk.',
    });
    const stored = await readFile(tokenFilePath(harness.paths, 'anthropic', 'team'), 'utf8');
    expect(JSON.parse(stored)).toEqual({ type: 'api_key', env: 'TEAM_KEY' });
    expect(stored).not.toContain(account.apiKey);
    const served = await postRaw(url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' });
    expect(served.status).toBe(200);
    expect(served.headers.get('x-switchyard-bucket')).toBe('anthropic/team');
  });

  it('says when the variable is not set where the server runs', async () => {
    const { url } = await harness.startRouter({ profile: 'keyed' });
    const answer = await addKey(url, 'anthropic', { bucket: 'team', env: 'UNSET_TEAM_KEY' });
    expect(answer.status).toBe(200);
    expect(answer.body.message).toBe(
      'Bucket anthropic/team reads its API key from $UNSET_TEAM_KEY at run time; the key is never written to disk. ' +
        '($UNSET_TEAM_KEY is not set where the server runs: set it there and restart.)',
    );
  });

  it.each([
    [
      'a variable that is not a name (a key pasted instead)',
      'anthropic',
      { bucket: 'team', env: 'sk-ant-123 456' },
      400,
      'Name the environment variable that holds the key: switchyard auth anthropic key team --env VAR',
    ],
    [
      'a bucket name with path characters',
      'anthropic',
      { bucket: '../escape', env: 'TEAM_KEY' },
      400,
      'Invalid bucket name "../escape": use 1-64 characters from A-Z a-z 0-9 . _ @ + - (no slashes, no "..").',
    ],
    [
      'an unknown provider',
      'acme',
      { bucket: 'team', env: 'TEAM_KEY' },
      404,
      'Unknown provider "acme": use anthropic, openai, codex, gemini or qwen.',
    ],
  ])('refuses %s and stores nothing', async (_case, provider, body, status, expected) => {
    const { url } = await harness.startRouter({ profile: 'keyed' });
    const answer = await addKey(url, provider, body);
    expect(answer.status).toBe(status);
    expect((answer.body.error as { message: string }).message).toBe(expected);
    await expect(readFile(tokenFilePath(harness.paths, 'anthropic', 'team'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('needs the admin key when one is set', async () => {
    const { url } = await harness.startRouter({ profile: 'keyed', environment: { SWITCHYARD_ADMIN_KEY: 'key-admin' } });
    const refused = await addKey(url, 'anthropic', { bucket: 'team', env: 'TEAM_KEY' });
    expect(refused.status).toBe(401);
    expect((refused.body.error as { message: string }).message).toBe(
      'This route needs the admin key (SWITCHYARD_ADMIN_KEY) as "Authorization: Bearer <key>".',
    );
    await expect(readFile(tokenFilePath(harness.paths, 'anthropic', 'team'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
