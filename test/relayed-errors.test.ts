import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { writePrivateFile } from '../src/config/secure-files.js';
import { createHarness, type Harness, simulatorConfig } from './support/harness.js';
import { errorOf, rawRequestOf } from './support/raw-requests.js';

/**
 * A provider's error answer that is the client's to read is relayed with only the headers clients
 * use, never with the bucket's own credential (an upstream may echo it), and never cut into
 * invalid JSON. The upstream here is a small server on loopback that answers as a broken or
 * hostile provider would.
 */
type Answer = (key: string) => { headers: Record<string, string>; body: string };

let harness: Harness | undefined;
let upstream: Server | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve(undefined)));
  upstream = undefined;
});

/**
 * An anthropic API-key bucket `team` in front of an upstream answering every call with `answer`
 * (status 400); `keys` collects the credential each call carried.
 */
async function routerBehind(answer: Answer): Promise<{ url: string; keys: string[] }> {
  const keys: string[] = [];
  upstream = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      const key = String(request.headers['x-api-key'] ?? '');
      keys.push(key);
      const { headers, body } = answer(key);
      response.writeHead(400, headers);
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => upstream!.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  harness = await createHarness();
  await harness.addBucket('anthropic', 'team', { apiKey: true });
  await harness.writeProfile('team', 'type: model\nprovider: anthropic\nbuckets: [team]\n');
  await writePrivateFile(harness.paths.config, simulatorConfig(upstreamUrl));
  const { url } = await harness.startRouter({ profile: 'team' });
  return { url, keys };
}

const echoingAnswer: Answer = (key) => ({
  headers: {
    'content-type': 'application/json',
    'x-request-id': `req-for-${key}`,
    'retry-after': '3',
    'anthropic-ratelimit-requests-remaining': '5',
    'set-cookie': 'session=upstream-session',
    'x-internal-route': 'shard-7.internal.example',
    'www-authenticate': `Bearer realm="${key}"`,
  },
  body: JSON.stringify({
    type: 'error',
    error: { type: 'invalid_request_error', message: `model not allowed for key ${key}` },
  }),
});

async function post(url: string, format: 'anthropic-messages' | 'openai-chat') {
  const request = rawRequestOf(format, 'claude-sonnet-4-6');
  const response = await fetch(`${url}${request.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request.body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('relayed upstream errors', () => {
  it('relays only the headers clients use, and replaces the bucket credential an upstream echoes', async () => {
    const { url, keys } = await routerBehind(echoingAnswer);
    const answer = await post(url, 'anthropic-messages');
    expect(keys).toHaveLength(1);
    expect(keys[0]!.length).toBeGreaterThan(8);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('x-switchyard-bucket')).toBe('anthropic/team');
    expect(answer.headers.get('retry-after')).toBe('3');
    expect(answer.headers.get('anthropic-ratelimit-requests-remaining')).toBe('5');
    expect(answer.headers.get('x-request-id')).toBe('req-for-[credential removed]');
    for (const name of ['set-cookie', 'x-internal-route', 'www-authenticate'])
      expect(answer.headers.get(name), name).toBeNull();
    expect(JSON.parse(answer.text)).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'model not allowed for key [credential removed]' },
    });
    expect(`${[...answer.headers].join('\n')}\n${answer.text}`).not.toContain(keys[0]!);
  });

  it("replaces the echoed credential in an error translated into the caller's format too", async () => {
    const { url, keys } = await routerBehind(echoingAnswer);
    const answer = await post(url, 'openai-chat');
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(errorOf('openai-chat', JSON.parse(answer.text)).message).toBe(
      'model not allowed for key [credential removed]',
    );
    expect(`${[...answer.headers].join('\n')}\n${answer.text}`).not.toContain(keys[0]!);
  });

  it("answers a well-formed error in the caller's format when the upstream error body is too large to relay", async () => {
    const huge = JSON.stringify({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'x'.repeat(100 * 1024) },
    });
    const { url } = await routerBehind(() => ({ headers: { 'content-type': 'application/json' }, body: huge }));
    for (const format of ['anthropic-messages', 'openai-chat'] as const) {
      const answer = await post(url, format);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toBe('application/json');
      const parsed = JSON.parse(answer.text) as unknown;
      expect(errorOf(format, parsed).message).toBe(
        'anthropic/team answered 400 with an error body over 64 KiB, too large to relay; ask again, ' +
          "or see the provider's status.",
      );
      expect((parsed as { error: { code?: string } }).error.code).toBe('upstream_error_too_large');
    }
  });
});
