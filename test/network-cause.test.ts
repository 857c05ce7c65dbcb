import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTextOrNull, writePrivateFile } from '../src/config/secure-files.js';
import { describeNetworkFailure } from '../src/router/network-cause.js';
import { freePort } from './support/free-port.js';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw } from './support/raw-requests.js';
import { startServeProcess } from './support/run-binary.js';

const message = JSON.stringify({
  model: 'claude-sonnet-4-6',
  max_tokens: 16,
  messages: [{ role: 'user', content: 'Hi' }],
});

describe('a provider that refuses connections (the real binary)', () => {
  let harness: Harness;
  let stop: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    harness = await createHarness();
  });

  afterEach(async () => {
    await stop?.();
    stop = undefined;
    await harness.close();
  });

  it('logs the cause and names it in the 502, never the token', async () => {
    const { accessToken } = await harness.addBucket('anthropic', 'a');
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    const closedPort = await freePort();
    const config = (await readTextOrNull(harness.paths.config)) ?? '';
    await writePrivateFile(
      harness.paths.config,
      config.replace(
        `  anthropic:\n    baseUrl: ${harness.simulator.url}\n`,
        `  anthropic:\n    baseUrl: http://127.0.0.1:${closedPort}\n`,
      ),
    );
    const server = await startServeProcess(['--port', '0', '--profile', 'pool'], { SWITCHYARD_HOME: harness.home });
    stop = server.stop;

    const answer = await postRaw(server.url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' });
    expect(answer.status).toBe(502);
    const cause = `anthropic/a ECONNREFUSED 127.0.0.1:${closedPort}`;
    expect((answer.body as { error: unknown }).error).toEqual({
      type: 'api_error',
      code: 'upstream_failed',
      message:
        'Every bucket that could serve this request failed (attempts: anthropic/a:network, ' +
        `anthropic/a:network, anthropic/a:network). Network errors: ${cause}.`,
    });

    await stop();
    stop = undefined;
    const { stdout, stderr } = server.output();
    const line = stdout
      .split('\n')
      .filter((text) => text.startsWith('{'))
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry.path === '/v1/messages');
    expect(line).toMatchObject({ status: 502, causes: cause, msg: expect.stringContaining(`(${cause})`) });
    expect(stdout + stderr + JSON.stringify(answer.body)).not.toContain(accessToken);
  });
});

describe('describeNetworkFailure', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED ::1:9000'), {
    code: 'ECONNREFUSED',
    address: '::1',
    port: 9000,
  });

  it('names the code and address of a system error, IPv6 in brackets', () => {
    expect(describeNetworkFailure(refused, [])).toBe('ECONNREFUSED [::1]:9000');
  });

  it('reads the system error inside a wrapper such as fetch failed', () => {
    expect(describeNetworkFailure(new TypeError('fetch failed', { cause: refused }), [])).toBe(
      'ECONNREFUSED [::1]:9000',
    );
  });

  it('keeps a coded error without an address as code and message', () => {
    const closed = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(describeNetworkFailure(closed, [])).toBe('UND_ERR_SOCKET other side closed');
  });

  it('drops URL queries and any credential from a free-text message', () => {
    const secret = 'sk-secret-credential-0123456789';
    const failure = new Error(`request to https://host/v1?key=${secret} failed for Bearer ${secret}`);
    const cause = describeNetworkFailure(failure, [secret]);
    expect(cause).toBe('request to https://host/v1 failed for Bearer [redacted]');
    expect(cause).not.toContain(secret);
  });
});
