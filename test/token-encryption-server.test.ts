import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileTokenStore } from '../src/auth/file-token-store.js';
import { tokenFilePath } from '../src/config/paths.js';
import { startServer } from '../src/server/start-server.js';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw, rawRequestOf } from './support/raw-requests.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const messages = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');

describe('encrypted token files in a running server', () => {
  it('keeps serving other buckets when one file was encrypted with another key, and says why in the status', async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'a');
    await harness.addBucket('anthropic', 'b');
    const otherKey = randomBytes(32);
    const plaintextStore = createFileTokenStore(harness.paths, { encryption: { kind: 'none' } });
    const tokensOfA = await plaintextStore.read('anthropic', 'a');
    await createFileTokenStore(harness.paths, { encryption: { kind: 'key', key: otherKey } }).write(
      'anthropic',
      'a',
      tokensOfA!,
    );
    const fileOfA = tokenFilePath(harness.paths, 'anthropic', 'a');
    const before = await readFile(fileOfA, 'utf8');
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, b]\n');
    const { url } = await harness.startRouter({
      profile: 'pool',
      environment: { SWITCHYARD_TOKEN_KEY: randomBytes(32).toString('base64') },
    });

    const answer = await postRaw(url, messages.path, JSON.stringify(messages.body));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-switchyard-bucket')).toBe('anthropic/b');
    expect(answer.headers.get('x-switchyard-attempts')).toBe('anthropic/a:credential-error,anthropic/b:200');

    const status = (await (await fetch(`${url}/auth/anthropic/status?bucket=a`)).json()) as {
      buckets: { status: string; error: string }[];
    };
    expect(status.buckets[0]!.status).toBe('unreadable');
    expect(status.buckets[0]!.error).toContain(`${fileOfA} was encrypted with a different key`);
    expect(await readFile(fileOfA, 'utf8')).toBe(before);
    // b was not due for a refresh, so it was never rewritten: still plaintext, readable without a key.
    expect(await plaintextStore.read('anthropic', 'b')).toMatchObject({ token_type: 'Bearer' });
  });

  it('refuses to start with a malformed SWITCHYARD_TOKEN_KEY', async () => {
    harness = await createHarness();
    const starting = startServer({
      paths: harness.paths,
      port: 0,
      announce: false,
      environment: { SWITCHYARD_TOKEN_KEY: 'abc' },
      warn: () => undefined,
    });
    await expect(starting).rejects.toThrow(
      'SWITCHYARD_TOKEN_KEY must decode to 32 bytes, not 2 (create one with: ' +
        'openssl rand -base64 32); fix it or unset it to keep token files ' +
        'unencrypted.',
    );
  });
});
