import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { tokenFilePath } from '../src/config/paths.js';
import type { WireFormat } from '../src/core/types.js';
import { createHarness, type Harness } from './support/harness.js';
import { errorOf, rawRequestOf } from './support/raw-requests.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A request with exactly these headers (fetch would add its own, and keeps `Host` to itself). */
function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string) {
  const target = new URL(base);
  return new Promise<Answer>((resolve, reject) => {
    const outgoing = request(
      { host: target.hostname, port: target.port, method, path, headers, setHost: !('host' in headers) },
      (incoming) => {
        let text = '';
        incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
        incoming.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // kept as text
          }
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: parsed });
        });
      },
    );
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

let harness: Harness;
let url: string;
let port: string;

async function start(configExtra = '') {
  harness = await createHarness({ configExtra });
  await harness.addBucket('anthropic', 'a');
  await harness.addBucket('gemini', 'a');
  await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
  await harness.writeProfile('other', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
  await harness.writeProfile('gemini', 'type: model\nprovider: gemini\nbuckets: [a]\n');
  url = (await harness.startRouter({ profile: 'pool' })).url;
  port = new URL(url).port;
}

afterEach(async () => {
  await harness?.close();
});

const apiRequests: { format: WireFormat; path: string; body: string; headers: Record<string, string> }[] = (
  [
    ['anthropic-messages', 'claude-sonnet-4-6', {}],
    ['openai-chat', 'claude-sonnet-4-6', {}],
    ['openai-responses', 'claude-sonnet-4-6', {}],
    ['gemini', 'gemini-2.5-flash', { 'x-switchyard-profile': 'gemini' }],
  ] as const
).map(([format, model, headers]) => {
  const request = rawRequestOf(format, model);
  return { format, path: request.path, body: JSON.stringify(request.body), headers };
});

/** switchyard's own routes, each as a page would try it. */
const ownRoutes: [string, string, string | undefined][] = [
  ['GET', '/health', undefined],
  ['GET', '/stats/buckets', undefined],
  ['GET', '/auth/anthropic/status', undefined],
  ['POST', '/auth/anthropic/refresh?bucket=a', undefined],
  ['DELETE', '/auth/anthropic/revoke?bucket=a', undefined],
  ['GET', '/profiles/active', undefined],
  ['PUT', '/profiles/active', '{"profile":"other"}'],
  ['PATCH', '/profiles/pool', '{"buckets":["a"]}'],
  ['POST', '/auth/anthropic/key', '{"bucket":"z","env":"Z_KEY"}'],
  ['GET', '/metrics', undefined],
  ['GET', '/dashboard', undefined],
  ['GET', '/dashboard/data', undefined],
  ['GET', '/stats/clients', undefined],
  ['GET', '/v1/models', undefined],
];

describe('web pages and DNS rebinding', () => {
  it("refuses a Host that is not a loopback name or a configured one on every route, in the caller's format", async () => {
    await start('server:\n  allowedHosts: [switchyard.internal]\n');
    const rebound = `attacker.example:${port}`;
    const hostMessage =
      `This switchyard does not answer to the host name "${rebound}": a web page could reach it under any ` +
      'name (DNS rebinding). Use 127.0.0.1 or localhost, or add the name to server.allowedHosts in config.yaml.';
    for (const [method, path, body] of ownRoutes) {
      const answer = await send(url, method, path, { host: rebound, 'content-type': 'application/json' }, body);
      expect({ path, status: answer.status }).toEqual({ path, status: 403 });
      expect(answer.body).toEqual({ error: { message: hostMessage, code: 'host_not_allowed' } });
    }
    for (const api of apiRequests) {
      const answer = await send(url, 'POST', api.path, { host: rebound, ...api.headers }, api.body);
      expect({ path: api.path, status: answer.status }).toEqual({ path: api.path, status: 403 });
      expect(errorOf(api.format, answer.body).message).toBe(hostMessage);
    }
    // Nothing happened behind the refusals.
    expect(harness.simulator.totalRequests()).toBe(0);
    expect(existsSync(tokenFilePath(harness.paths, 'anthropic', 'a'))).toBe(true);
    expect(harness.router().context.profiles.current).toBe('pool');

    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      'LOCALHOST',
      'switchyard.internal:443',
    ]) {
      expect({ host, status: (await send(url, 'GET', '/stats/buckets', { host })).status }).toEqual({
        host,
        status: 200,
      });
    }
    const served = await send(url, 'POST', apiRequests[0]!.path, { host: 'switchyard.internal' }, apiRequests[0]!.body);
    expect(served.status).toBe(200);
  });

  it('refuses requests from other web sites unless their origin is configured, which gets CORS', async () => {
    await start('server:\n  allowedOrigins: ["http://localhost:5173"]\n');
    const chat = apiRequests[1]!;
    const crossOrigin = await send(
      url,
      'POST',
      chat.path,
      { origin: 'https://attacker.example', 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      chat.body,
    );
    expect(crossOrigin.status).toBe(403);
    expect(errorOf('openai-chat', crossOrigin.body)).toEqual({
      message:
        'Requests from the web page at https://attacker.example are refused: a page the user opens must not ' +
        'spend the accounts. To allow that origin, add it to server.allowedOrigins in config.yaml.',
      type: 'permission_error',
    });
    for (const site of ['cross-site', 'same-site']) {
      const answer = await send(url, 'DELETE', '/auth/anthropic/revoke?bucket=a', { 'sec-fetch-site': site });
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({
        error: {
          message:
            'Requests from another web site are refused: a page the user opens must not spend the accounts. ' +
            "To allow a page, add its origin to server.allowedOrigins in config.yaml (the browser's Origin must be sent).",
          code: 'origin_not_allowed',
        },
      });
    }
    const nullOrigin = await send(url, 'GET', '/auth/anthropic/status', { origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    expect(harness.simulator.totalRequests()).toBe(0);
    expect(existsSync(tokenFilePath(harness.paths, 'anthropic', 'a'))).toBe(true);

    // The server's own pages (the dashboard) and a typed address are not other sites.
    const sameOrigin = await send(
      url,
      'PUT',
      '/profiles/active',
      { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      '{"profile":"other"}',
    );
    expect(sameOrigin.status).toBe(200);
    expect((await send(url, 'GET', '/dashboard', { 'sec-fetch-site': 'none' })).status).toBe(200);

    // A configured origin: its preflight is answered and its page may read the answer.
    const preflight = await send(url, 'OPTIONS', chat.path, {
      origin: 'http://localhost:5173',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': 'http://localhost:5173',
      'access-control-allow-methods': 'GET, POST, PUT, DELETE',
      'access-control-allow-headers': 'authorization, content-type',
    });
    const allowed = await send(
      url,
      'POST',
      chat.path,
      { origin: 'http://localhost:5173', 'content-type': 'application/json', 'sec-fetch-site': 'same-site' },
      chat.body,
    );
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(allowed.headers['access-control-expose-headers']).toBe(
      'x-switchyard-bucket, x-switchyard-attempts, retry-after',
    );
  });

  it("takes bodies only as JSON: text/plain, form data and multipart get 415 in the caller's format", async () => {
    await start();
    const refusedTypes = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'];
    for (const api of apiRequests) {
      for (const type of refusedTypes) {
        const answer = await send(url, 'POST', api.path, { 'content-type': type, ...api.headers }, api.body);
        expect({ path: api.path, type, status: answer.status }).toEqual({ path: api.path, type, status: 415 });
        expect(errorOf(api.format, answer.body).message).toBe(
          `Request bodies must be JSON: send "Content-Type: application/json" (this one was "${type}").`,
        );
      }
    }
    const profile = await send(url, 'PUT', '/profiles/active', { 'content-type': 'text/plain' }, '{"profile":"other"}');
    expect(profile).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
    expect(harness.router().context.profiles.current).toBe('pool');
    expect(harness.simulator.totalRequests()).toBe(0);

    // JSON by any of its names, or a body with no type at all (curl-like clients), is read.
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON', undefined]) {
      const messages = apiRequests[0]!;
      const answer = await send(
        url,
        'POST',
        messages.path,
        type === undefined ? {} : { 'content-type': type },
        messages.body,
      );
      expect({ type, status: answer.status }).toEqual({ type, status: 200 });
    }
    expect(harness.simulator.totalRequests()).toBe(4);
  });
});
