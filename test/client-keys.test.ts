import { afterEach, describe, expect, it } from 'vitest';
import { hashClientKey } from '../src/clients/key-hash.js';
import { createHarness, type Harness } from './support/harness.js';
import { scrape } from './support/prometheus.js';
import { errorOf, postRaw, rawRequestOf } from './support/raw-requests.js';

const aliceKey = 'sy-alice-0123456789abcdefghijklmnopqrstuvwxyz';
const bobKey = 'sy-bob-0123456789abcdefghijklmnopqrstuvwxyz';
const teamKey = 'sy-team-0123456789abcdefghijklmnopqrstuvwxyz';
const clientsYaml = `clients:
  - name: alice
    keyHash: ${hashClientKey(aliceKey)}
    profiles: [pool]
  - name: bob
    keyEnv: BOB_SWITCHYARD_KEY
    requestsPerMinute: 2
`;

interface ClientStatisticsAnswer {
  clients: {
    name: string;
    requests: number;
    successes: number;
    failures: number;
    refused: number;
    forbidden: number;
    rateLimited: number;
    outputTokens: number;
    lastUsed: string | null;
    profiles: Record<string, number>;
  }[];
}

describe('per-client keys', () => {
  let harness: Harness;
  let url: string;

  async function start(options: { apiKey?: string; configExtra?: string } = {}) {
    harness = await createHarness({ configExtra: options.configExtra ?? clientsYaml });
    for (const bucket of ['a', 'b']) await harness.addBucket('anthropic', bucket);
    await harness.addBucket('openai', 'o', { apiKey: true });
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, b]\n');
    await harness.writeProfile('other', 'type: model\nprovider: openai\nmodel: gpt-4.1\nbuckets: [o]\n');
    const environment: NodeJS.ProcessEnv = { BOB_SWITCHYARD_KEY: bobKey };
    if (options.apiKey !== undefined) environment.SWITCHYARD_API_KEY = options.apiKey;
    url = (await harness.startRouter({ profile: 'pool', environment })).url;
  }

  const anthropic = (headers: Record<string, string>) => {
    const request = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');
    return postRaw(url, request.path, JSON.stringify(request.body), { 'anthropic-version': '2023-06-01', ...headers });
  };
  const chat = (headers: Record<string, string>) => {
    const request = rawRequestOf('openai-chat', 'gpt-4.1');
    return postRaw(url, request.path, JSON.stringify(request.body), headers);
  };

  afterEach(async () => {
    await harness.close();
  });

  it("refuses an unknown or missing key with 401 in the caller's format, and sends nothing upstream", async () => {
    await start();
    const unknown = await anthropic({ 'x-api-key': 'sy-not-a-key' });
    expect(unknown.status).toBe(401);
    expect(errorOf('anthropic-messages', unknown.body)).toMatchObject({ type: 'authentication_error' });
    expect(errorOf('anthropic-messages', unknown.body).message).toBe(
      'The client key is not valid for this switchyard.',
    );
    const missing = await chat({});
    expect(missing.status).toBe(401);
    expect(errorOf('openai-chat', missing.body).message).toContain('requires a client key');
    expect(harness.simulator.totalRequests()).toBe(0);
    expect((await anthropic({ authorization: `Bearer ${aliceKey}` })).status).toBe(200);
    expect((await anthropic({ 'x-api-key': bobKey })).status).toBe(200);
  });

  it('refuses a profile the key may not use with 403 naming the ones it may', async () => {
    await start();
    const forbidden = await chat({ authorization: `Bearer ${aliceKey}`, 'x-switchyard-profile': 'other' });
    expect(forbidden.status).toBe(403);
    const error = errorOf('openai-chat', forbidden.body);
    expect(error.message).toBe(
      'Client "alice" may not use profile "other"; it may use pool: send one in the x-switchyard-profile header.',
    );
    // A profile that does not exist is refused the same way: the key learns nothing about other profiles.
    expect(
      (await anthropic({ authorization: `Bearer ${aliceKey}`, 'x-switchyard-profile': 'secret-plans' })).status,
    ).toBe(403);
    expect(harness.simulator.totalRequests()).toBe(0);
    // bob may use every profile.
    const allowed = await chat({ authorization: `Bearer ${bobKey}`, 'x-switchyard-profile': 'other' });
    expect(allowed.status).toBe(200);
  });

  it("limits a client to its requests per minute with 429 and Retry-After in the caller's format", async () => {
    await start();
    expect((await anthropic({ 'x-api-key': bobKey })).status).toBe(200);
    expect((await anthropic({ 'x-api-key': bobKey })).status).toBe(200);
    const limited = await anthropic({ 'x-api-key': bobKey });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(errorOf('anthropic-messages', limited.body)).toEqual({
      type: 'rate_limit_error',
      message: 'Client "bob" is over its limit of 2 requests per minute; retry in 30 s.',
    });
    // Other clients are not affected.
    expect((await anthropic({ 'x-api-key': aliceKey })).status).toBe(200);
    harness.clock.advance(30_000);
    expect((await anthropic({ 'x-api-key': bobKey })).status).toBe(200);
    expect(harness.simulator.totalRequests()).toBe(4);
  });

  it('keeps statistics and metrics per client', async () => {
    // Per-client statistics and metrics are administration: SWITCHYARD_API_KEY's key reads them.
    await start({ apiKey: teamKey });
    await anthropic({ 'x-api-key': aliceKey });
    await anthropic({ 'x-api-key': aliceKey });
    await chat({ 'x-api-key': aliceKey, 'x-switchyard-profile': 'other' });
    await chat({ 'x-api-key': bobKey, 'x-switchyard-profile': 'other' });
    await chat({ 'x-api-key': bobKey, 'x-switchyard-profile': 'other' });
    await chat({ 'x-api-key': bobKey, 'x-switchyard-profile': 'other' });
    await anthropic({ 'x-api-key': 'sy-unknown' });

    const answer = await fetch(`${url}/stats/clients`, { headers: { authorization: `Bearer ${teamKey}` } });
    expect(answer.status).toBe(200);
    const { clients } = (await answer.json()) as ClientStatisticsAnswer;
    const alice = clients.find((client) => client.name === 'alice');
    const bob = clients.find((client) => client.name === 'bob');
    expect(alice).toMatchObject({
      requests: 2,
      successes: 2,
      failures: 0,
      refused: 1,
      forbidden: 1,
      rateLimited: 0,
      profiles: { pool: 2 },
    });
    expect(alice?.outputTokens).toBeGreaterThan(0);
    expect(alice?.lastUsed).toBe(new Date(harness.clock.now()).toISOString());
    expect(bob).toMatchObject({
      requests: 2,
      successes: 2,
      refused: 1,
      forbidden: 0,
      rateLimited: 1,
      profiles: { other: 2 },
    });

    const metrics = await scrape(url, teamKey);
    expect(metrics.sum('switchyard_requests_total', { client: 'alice', profile: 'pool', status: '200' })).toBe(2);
    expect(metrics.sum('switchyard_requests_total', { client: 'bob', profile: 'other', status: '200' })).toBe(2);
    expect(
      metrics.sum('switchyard_refused_requests_total', {
        client: 'alice',
        reason: 'profile_not_allowed',
        status: '403',
      }),
    ).toBe(1);
    expect(
      metrics.sum('switchyard_refused_requests_total', { client: 'bob', reason: 'client_rate_limited', status: '429' }),
    ).toBe(1);
    expect(
      metrics.sum('switchyard_refused_requests_total', {
        client: 'anonymous',
        reason: 'invalid_client_key',
        status: '401',
      }),
    ).toBe(1);
    expect(metrics.sum('switchyard_client_tokens_total', { client: 'alice', type: 'output' })).toBe(
      alice?.outputTokens,
    );
  });

  it('keeps SWITCHYARD_API_KEY working beside client keys, as the client "default"', async () => {
    await start({ apiKey: 'sy-shared-team-key' });
    expect((await anthropic({ authorization: 'Bearer sy-shared-team-key' })).status).toBe(200);
    expect((await chat({ authorization: 'Bearer sy-shared-team-key', 'x-switchyard-profile': 'other' })).status).toBe(
      200,
    );
    const { clients } = (await (
      await fetch(`${url}/stats/clients`, { headers: { authorization: 'Bearer sy-shared-team-key' } })
    ).json()) as ClientStatisticsAnswer;
    expect(clients.map((client) => client.name)).toEqual(['default', 'alice', 'bob']);
    expect(clients[0]).toMatchObject({ requests: 2, successes: 2 });
  });

  it('refuses to start when a client key variable is missing, or a key is stored in the clear', async () => {
    harness = await createHarness({ configExtra: 'clients:\n  - name: carol\n    keyEnv: CAROL_KEY\n' });
    await expect(harness.startRouter()).rejects.toThrow(
      'Client "carol" reads its key from CAROL_KEY, which is not set: set it in ' +
        "switchyard's environment, or use keyHash in config.yaml.",
    );
    await harness.close();
    harness = await createHarness({ configExtra: 'clients:\n  - name: carol\n    keyHash: sy-plain-text-key\n' });
    await expect(harness.startRouter()).rejects.toThrow(
      'expected sha256: and 64 hex digits; make one with `switchyard client hash`',
    );
    await harness.close();
    harness = await createHarness({
      configExtra:
        `clients:\n  - name: carol\n    keyHash: ${hashClientKey(aliceKey)}\n  - ` +
        `name: dave\n    keyHash: ${hashClientKey(aliceKey)}\n`,
    });
    await expect(harness.startRouter()).rejects.toThrow('Clients "carol" and "dave" have the same key');
  });
});
