import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw } from './support/raw-requests.js';

/**
 * Body capture for the request log's detail: off by default; when on, each body is kept to a
 * bound, encrypted at rest with the token key, never shows a credential, and is read only with
 * the admin key.
 */
let harness: Harness;
afterEach(async () => {
  await harness.close();
});

const adminKey = 'body-capture-admin-key';
const asAdmin = { authorization: `Bearer ${adminKey}` };
const tokenKey = randomBytes(32).toString('base64');
const marker = 'plaintext-marker-7f3a';
const capture = 'dashboard:\n  captureBodies: true\n  captureBodyBytes: 300\n  requestLogSize: 2\n';

async function start(configExtra = '', environment: NodeJS.ProcessEnv = {}) {
  harness = await createHarness({ configExtra });
  const bucket = await harness.addBucket('anthropic', 'a');
  await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
  const { url } = await harness.startRouter({
    profile: 'pool',
    environment: { SWITCHYARD_ADMIN_KEY: adminKey, ...environment },
  });
  return { url, bucket };
}

const send = (url: string, content: string, stream = false, headers: Record<string, string> = {}) =>
  postRaw(
    url,
    '/v1/messages',
    JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 16, stream, messages: [{ role: 'user', content }] }),
    { 'anthropic-version': '2023-06-01', ...headers },
  );

interface Listed {
  bodyCapture: boolean;
  requests: { id: number; bodies: boolean }[];
}
interface Captured {
  id: number;
  request: { text: string; bytes: number; truncated: boolean; headers: Record<string, string> };
  response: { text: string; bytes: number; truncated: boolean };
}

async function errorOf(answer: Response): Promise<{ status: number; message: string }> {
  return { status: answer.status, message: ((await answer.json()) as { error: { message: string } }).error.message };
}

describe('body capture', () => {
  it('is off by default: nothing kept, and the route says how to turn it on', async () => {
    const { url } = await start();
    expect((await send(url, `hello ${marker}`)).status).toBe(200);
    const listed = (await (await fetch(`${url}/dashboard/data/requests`, { headers: asAdmin })).json()) as Listed;
    expect(listed.bodyCapture).toBe(false);
    expect(listed.requests[0]!.bodies).toBe(false);
    const answer = await fetch(`${url}/dashboard/data/requests/${listed.requests[0]!.id}/bodies`, { headers: asAdmin });
    expect(await errorOf(answer)).toEqual({
      status: 404,
      message:
        'Body capture is off: set dashboard.captureBodies: true in config.yaml to keep request and response bodies.',
    });
    expect(await readdir(join(harness.home, 'request-bodies')).catch(() => [])).toEqual([]);
  });

  it('refuses to start with capture on and no token key to encrypt with', async () => {
    await expect(start(capture)).rejects.toThrow(
      'dashboard.captureBodies needs SWITCHYARD_TOKEN_KEY: captured bodies are kept encrypted with it ' +
        '(create one with: openssl rand -base64 32).',
    );
  });

  it('when on, keeps bodies to the bound, encrypted at rest, credentials redacted, for the admin only', async () => {
    const { url, bucket } = await start(capture, { SWITCHYARD_TOKEN_KEY: tokenKey });
    const content =
      `${marker} my token is ${bucket.accessToken} and {"api_key":"sk-live-abcdefghijk"} ` +
      `Authorization: Bearer sk-ant-oat01-abcdefghijklmnop ${'x'.repeat(1_000)}`;
    expect((await send(url, content, false, { cookie: 'session=cookie-secret-value' })).status).toBe(200);
    const listed = (await (await fetch(`${url}/dashboard/data/requests`, { headers: asAdmin })).json()) as Listed;
    expect(listed.bodyCapture).toBe(true);
    const { id, bodies } = listed.requests[0]!;
    expect(bodies).toBe(true);

    const path = `/dashboard/data/requests/${id}/bodies`;
    expect(await errorOf(await fetch(`${url}${path}`))).toEqual({
      status: 401,
      message: 'This route needs the admin key (SWITCHYARD_ADMIN_KEY) as "Authorization: Bearer <key>".',
    });
    const answer = await fetch(`${url}${path}`, { headers: asAdmin });
    expect(answer.status).toBe(200);
    const captured = (await answer.json()) as Captured;
    expect(captured.id).toBe(id);
    // Bounded: at most 300 bytes of each, with the whole size and a mark that it was cut.
    expect(Buffer.byteLength(captured.request.text)).toBeLessThanOrEqual(300);
    expect(captured.request.truncated).toBe(true);
    expect(captured.request.bytes).toBeGreaterThan(1_000);
    expect(captured.request.text).toContain(marker);
    expect(captured.response.text, JSON.stringify(captured.response)).toMatch(/^\{"id":"msg_/);
    expect(Buffer.byteLength(captured.response.text)).toBeLessThanOrEqual(300);
    // No credential: the bucket's token, a key field, a bearer value, the cookie header, the admin key.
    const shown = JSON.stringify(captured);
    for (const secret of [
      bucket.accessToken,
      'sk-live-abcdefghijk',
      'sk-ant-oat01-abcdefghijklmnop',
      'cookie-secret-value',
    ])
      expect(shown).not.toContain(secret);
    expect(captured.request.text).toContain('my token is [redacted]');
    expect(captured.request.text).toContain('\\"api_key\\":\\"[redacted]\\"');
    expect(captured.request.text).toContain('Bearer [redacted]');
    expect(captured.request.headers.cookie).toBe('[redacted]');

    // At rest the file is encrypted (0600): none of the body's text is in it.
    const file = join(harness.home, 'request-bodies', `${id}.json`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const bytes = await readFile(file, 'utf8');
    expect(bytes).not.toContain(marker);
    expect(bytes).not.toContain('msg_');
    expect(JSON.parse(bytes)).toMatchObject({ switchyard_encrypted: 1, cipher: 'aes-256-gcm' });

    // A streamed answer is kept as sent, to the bound.
    expect((await send(url, 'stream please', true)).status).toBe(200);
    const streamed = (await (await fetch(`${url}/dashboard/data/requests`, { headers: asAdmin })).json()) as Listed;
    const streamedBodies = (await (
      await fetch(`${url}/dashboard/data/requests/${streamed.requests[0]!.id}/bodies`, { headers: asAdmin })
    ).json()) as Captured;
    expect(streamedBodies.response.text).toMatch(/^event: message_start\n/);

    // The log keeps two requests: a third pushes the first out, and its file with it.
    expect((await send(url, 'third')).status).toBe(200);
    expect(await errorOf(await fetch(`${url}${path}`, { headers: asAdmin }))).toEqual({
      status: 404,
      message: `No bodies are kept for request ${id}: it was not captured or has left the request log.`,
    });
    await expect.poll(async () => (await readdir(join(harness.home, 'request-bodies'))).length).toBe(2);
    expect(await errorOf(await fetch(`${url}/dashboard/data/requests/first/bodies`, { headers: asAdmin }))).toEqual({
      status: 400,
      message: 'The request id must be a whole number, as the request log lists it.',
    });
  });
});
