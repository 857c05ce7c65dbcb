import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireFormat } from '../src/core/types.js';
import { createHarness, type Harness } from './support/harness.js';
import { errorOf } from './support/raw-requests.js';

/**
 * Property-based fuzz of every inbound route: malformed, truncated, oversized and wrongly-typed
 * bodies and headers. switchyard itself never answers 5xx or crashes, and every refusal is a 4xx
 * in the caller's own format. SWITCHYARD_LONG=1 runs many more cases.
 */

const long = process.env.SWITCHYARD_LONG === '1';
const numRuns = long ? 5_000 : 150;

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** The caller's API format; undefined for switchyard's own routes (plain JSON errors). */
  format: WireFormat | undefined;
  /** A valid body, the seed of truncated and wrongly-typed ones. */
  body: Record<string, unknown> | undefined;
}

const routes: Route[] = [
  {
    method: 'POST',
    path: '/v1/messages',
    format: 'anthropic-messages',
    body: { model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] },
  },
  {
    method: 'POST',
    path: '/v1/messages/count_tokens',
    format: 'anthropic-messages',
    body: { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hi' }] },
  },
  {
    method: 'POST',
    path: '/v1/chat/completions',
    format: 'openai-chat',
    body: { model: 'qwen3-coder-plus', messages: [{ role: 'user', content: 'Hi' }] },
  },
  { method: 'POST', path: '/v1/responses', format: 'openai-responses', body: { model: 'gpt-5-codex', input: 'Hi' } },
  {
    method: 'POST',
    path: '/v1beta/models/gemini-2.5-pro:generateContent',
    format: 'gemini',
    body: { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] },
  },
  {
    method: 'POST',
    path: '/v1beta/models/gemini-2.5-pro:streamGenerateContent',
    format: 'gemini',
    body: { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] },
  },
  {
    method: 'POST',
    path: '/v1/models/gemini-2.5-pro:generateContent',
    format: 'gemini',
    body: { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] },
  },
  { method: 'GET', path: '/v1/models', format: 'openai-chat', body: undefined },
  { method: 'GET', path: '/health', format: undefined, body: undefined },
  { method: 'GET', path: '/stats/buckets', format: undefined, body: undefined },
  { method: 'GET', path: '/auth/anthropic/status', format: undefined, body: undefined },
  { method: 'POST', path: '/auth/anthropic/refresh', format: undefined, body: undefined },
  { method: 'DELETE', path: '/auth/qwen/revoke', format: undefined, body: undefined },
  { method: 'GET', path: '/profiles/active', format: undefined, body: { profile: 'all' } },
  { method: 'PUT', path: '/profiles/active', format: undefined, body: { profile: 'all' } },
];

/** Path segments and names that try to leave their folder or confuse a parser. */
const pathTricks = [
  '..',
  '../../etc/passwd',
  '..%2F..%2Fconfig',
  '%2e%2e',
  'a/b',
  'a\\b',
  '',
  ' ',
  '.',
  'x'.repeat(300),
  '\u0000',
  'ÿ',
  'default',
  'all',
  '%00',
  '🙂',
];

const printable = fc.string({
  unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~'.split('')),
  maxLength: 80,
});
const headerValue = fc.oneof(printable, fc.constantFrom(...pathTricks.filter((trick) => /^[\x20-\x7e]*$/.test(trick))));

/** Wrong types for the fields every format reads. */
const wrongValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 20 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);
const fieldNames = [
  'model',
  'messages',
  'stream',
  'max_tokens',
  'input',
  'contents',
  'system',
  'metadata',
  'tools',
  'stream_options',
  'profile',
  'generationConfig',
  'instructions',
  '__proto__',
  'constructor',
];

function bodyFor(route: Route): fc.Arbitrary<{ text: string; kind: string }> {
  const valid = JSON.stringify(route.body ?? {});
  return fc.oneof(
    fc.string({ maxLength: 200 }).map((text) => ({ text, kind: 'text' })),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ text: Buffer.from(bytes).toString('latin1'), kind: 'bytes' })),
    fc.nat({ max: Math.max(0, valid.length - 1) }).map((cut) => ({ text: valid.slice(0, cut), kind: 'truncated' })),
    fc.jsonValue({ maxDepth: 3 }).map((value) => ({ text: JSON.stringify(value) ?? 'null', kind: 'json' })),
    fc
      .dictionary(fc.constantFrom(...fieldNames), wrongValue, { minKeys: 1, maxKeys: 4 })
      .map((fields) => ({ text: JSON.stringify({ ...route.body, ...fields }), kind: 'wrongly-typed' })),
    fc.constant({ text: `{"a":${'['.repeat(5_000)}`, kind: 'deeply nested' }),
    fc.constant({ text: `{"model":"${'m'.repeat(200_000)}","messages":[]}`, kind: 'long field' }),
  );
}

const headersArbitrary = fc.record(
  {
    'x-switchyard-profile': headerValue,
    'content-type': fc.oneof(fc.constant('application/json'), printable),
    authorization: printable,
    'x-api-key': printable,
    'x-goog-api-key': printable,
    'anthropic-version': printable,
    'accept-encoding': fc.constantFrom('gzip', 'br', 'identity', '*', 'nonsense'),
    host: fc.constantFrom('evil.example', 'localhost', '127.0.0.1:1'),
    'x-forwarded-host': printable,
    'x-switchyard-session': printable,
  },
  { requiredKeys: [] },
);

const queryArbitrary = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '?alt=sse',
    '?key=',
    '?bucket=../../x',
    '?bucket=',
    '?bucket=%2e%2e%2fconfig',
    '?bucket=default',
    '?a=%ZZ',
    `?bucket=${'b'.repeat(100)}`,
  ),
);

let harness: Harness;
let url: string;
const client = new Agent({ connections: 8 });

beforeAll(async () => {
  harness = await createHarness();
  await harness.addBucket('anthropic', 'a');
  await harness.addBucket('codex', 'a');
  await harness.addBucket('gemini', 'a');
  await harness.addBucket('qwen', 'a');
  for (const provider of ['anthropic', 'codex', 'gemini', 'qwen'])
    await harness.writeProfile(provider, `type: model\nprovider: ${provider}\nbuckets: [a]\n`);
  await harness.writeProfile(
    'all',
    'type: loadbalancer\npolicy: failover\nprofiles: [anthropic, codex, gemini, qwen]\n',
  );
  url = (await harness.startRouter({ profile: 'all' })).url;
});

afterAll(async () => {
  await client.close();
  await harness.close();
});

interface Answer {
  status: number;
  text: string;
  attempts: string | null;
}

async function send(
  route: Route,
  path: string,
  body: string | undefined,
  headers: Record<string, string>,
): Promise<Answer> {
  const response = await fetch(`${url}${path}`, {
    method: route.method,
    headers,
    dispatcher: client,
    ...(body !== undefined && route.method !== 'GET' ? { body } : {}),
  });
  return {
    status: response.status,
    text: await response.text(),
    attempts: response.headers.get('x-switchyard-attempts'),
  };
}

/** No 5xx of switchyard's own; a refusal is a 4xx in the caller's format, or switchyard's JSON on its own routes. */
function expectWellFormed(route: Route, answer: Answer, input: unknown): void {
  const context = JSON.stringify(input).slice(0, 500);
  expect(answer.status, context).toBeLessThan(500);
  if (answer.status < 400) return;
  // A provider's own 4xx comes back as the provider sent it (same format: every profile here speaks its caller's).
  const body = JSON.parse(answer.text) as unknown;
  if (route.format !== undefined) expect(() => errorOf(route.format!, body), context).not.toThrow();
  else expect(body, context).toMatchObject({ error: { message: expect.any(String), code: expect.any(String) } });
}

describe('fuzzing every inbound route', () => {
  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: malformed, truncated and wrongly-typed bodies and headers never get a 5xx',
    async (_name, route) => {
      await fc.assert(
        fc.asyncProperty(bodyFor(route), headersArbitrary, queryArbitrary, async (body, headers, query) => {
          const answer = await send(route, `${route.path}${query}`, body.text, headers);
          expectWellFormed(route, answer, { body: body.kind, text: body.text.slice(0, 200), headers, query });
        }),
        { numRuns: Math.ceil(numRuns / 5) },
      );
    },
  );

  it("refuses path tricks in model names, providers, profiles and buckets with a 4xx in the caller's format", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...pathTricks),
        fc.constantFrom('model', 'provider', 'profile', 'bucket'),
        async (trick, where) => {
          const encoded = encodeURIComponent(trick);
          const [route, path, headers] =
            where === 'model'
              ? [routes[4]!, `/v1beta/models/${encoded}:generateContent`, {}]
              : where === 'provider'
                ? [routes[10]!, `/auth/${encoded}/status`, {}]
                : where === 'bucket'
                  ? [routes[10]!, `/auth/anthropic/status?bucket=${encoded}`, {}]
                  : [routes[0]!, '/v1/messages', { 'x-switchyard-profile': trick.replace(/[^\x20-\x7e]/g, '?') }];
          const answer = await send(route, path, JSON.stringify(route.body ?? {}), {
            'content-type': 'application/json',
            ...headers,
          });
          expectWellFormed(route, answer, { trick, where });
          if (where !== 'model' && !['default', 'all'].includes(trick))
            expect(answer.status).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: Math.min(numRuns, 64) },
    );
    expect(harness.simulator.allCounts().unknown).toBeUndefined();
  });

  it("answers a body over the limit with 413 in the caller's format on every API route, before reading it", async () => {
    for (const route of routes.filter((candidate) => candidate.format !== undefined && candidate.method === 'POST')) {
      const answer = await declareHugeBody(route.path);
      expect(answer.status).toBe(413);
      expect(errorOf(route.format!, JSON.parse(answer.text)).message).toBe(
        'The request body is larger than the limit of 33554432 bytes.',
      );
    }
  });

  it("answers a body nested 100,000 levels with 400 in the caller's format on every API route, counted as sent", async () => {
    const deep = `{"model":"m","messages":[${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}]}`;
    const apiRoutes = routes.filter((candidate) => candidate.format !== undefined && candidate.method === 'POST');
    for (const route of apiRoutes) {
      const answer = await send(route, route.path, deep, { 'content-type': 'application/json' });
      expect(answer.status).toBe(400);
      expect(errorOf(route.format!, JSON.parse(answer.text)).message).toBe(
        'The request body nests objects and arrays more than 512 levels deep.',
      );
    }
    const metrics = await (await fetch(`${url}/metrics`, { dispatcher: client })).text();
    const refused = metrics
      .split('\n')
      .find((line) => line.startsWith('switchyard_refused_requests_total{') && line.includes('json_too_deep'));
    expect(refused).toContain('status="400"');
    expect(Number(refused?.split(' ').at(-1))).toBeGreaterThanOrEqual(apiRoutes.length);
    // Nothing of it was recorded with a status no client got.
    expect(metrics).not.toMatch(/^switchyard_requests_total\{[^}]*status="(499|500)"/m);
  });

  it('takes a body nested exactly to the limit through every format and translation without a 5xx', async () => {
    for (const route of routes.filter((candidate) => candidate.format !== undefined && candidate.method === 'POST')) {
      for (const extra of [0, 1]) {
        const body = nestedToolBody(route, 512 + extra);
        expect(depthOf(body)).toBe(512 + extra);
        for (const profile of ['anthropic', 'codex', 'gemini', 'qwen']) {
          const answer = await send(route, route.path, JSON.stringify(body), {
            'content-type': 'application/json',
            'x-switchyard-profile': profile,
          });
          expectWellFormed(route, answer, { profile, depth: 512 + extra });
          if (extra === 1) expect(answer.status).toBe(400);
        }
      }
    }
  });

  it('keeps running after the fuzz', async () => {
    expect((await fetch(`${url}/health`, { dispatcher: client })).status).toBe(200);
  });
});

/** How deeply a value nests objects and arrays (the value itself is the first level). */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

/** The route's valid body with one tool whose parameter schema nests so that the whole body is `depth` deep. */
function nestedToolBody(route: Route, depth: number): Record<string, unknown> {
  const schemaOf = (levels: number): Record<string, unknown> =>
    levels === 0 ? { type: 'string' } : { type: 'array', items: schemaOf(levels - 1) };
  const withSchema = (schema: Record<string, unknown>): Record<string, unknown> => {
    const tool = { name: 'lookup', description: 'Looks it up.' };
    switch (route.format) {
      case 'anthropic-messages':
        return { ...route.body, tools: [{ ...tool, input_schema: schema }] };
      case 'openai-chat':
        return { ...route.body, tools: [{ type: 'function', function: { ...tool, parameters: schema } }] };
      case 'openai-responses':
        return { ...route.body, tools: [{ type: 'function', ...tool, parameters: schema }] };
      default:
        return { ...route.body, tools: [{ functionDeclarations: [{ ...tool, parameters: schema }] }] };
    }
  };
  // The levels around the schema differ by format: measured on a flat one.
  const around = depthOf(withSchema({ type: 'string' })) - 1;
  return withSchema(schemaOf(depth - around - 1));
}

/** Declares a 40 MB body and sends none of it: the limit applies to the declared length. */
function declareHugeBody(path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      `${url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(40 * 1024 * 1024) } },
      (incoming) => {
        let text = '';
        incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
        incoming.on('end', () => {
          resolve({ status: incoming.statusCode ?? 0, text });
          outgoing.destroy();
        });
      },
    );
    outgoing.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
    outgoing.flushHeaders();
  });
}
