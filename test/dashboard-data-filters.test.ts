import { afterEach, describe, expect, it } from 'vitest';
import { hashClientKey } from '../src/clients/key-hash.js';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw } from './support/raw-requests.js';

/** What the page filters, scripts can ask for: the request log's filters on the server, and CSV of every table. */
let harness: Harness;
afterEach(async () => {
  await harness.close();
});

const adminKey = 'filters-admin-key';
const asAdmin = { authorization: `Bearer ${adminKey}` };
const aliceKey = 'sy-alice-0123456789abcdefghijklmnopqrstuvwxyz';
const bobKey = 'sy-bob-0123456789abcdefghijklmnopqrstuvwxyz';

async function start(): Promise<string> {
  harness = await createHarness({
    configExtra: `clients:\n  - name: alice\n    keyHash: ${hashClientKey(aliceKey)}\n  - name: bob\n    keyHash: ${hashClientKey(bobKey)}\n`,
  });
  await harness.addBucket('anthropic', 'a');
  await harness.addBucket('anthropic', 'b');
  harness.simulator.setUsageWindows('anthropic-a', {
    style: 'anthropic',
    windows: [{ seconds: 5 * 3600, capacity: 100, used: 40, resetInSeconds: 3600 }],
  });
  await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
  await harness.writeProfile('second', 'type: model\nprovider: anthropic\nbuckets: [b]\n');
  return (await harness.startRouter({ profile: 'pool', environment: { SWITCHYARD_ADMIN_KEY: adminKey } })).url;
}

const send = async (url: string, key: string, model: string, profile?: string) => {
  const body = JSON.stringify({ model, max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] });
  const headers: Record<string, string> = { 'anthropic-version': '2023-06-01', 'x-api-key': key };
  if (profile !== undefined) headers['x-switchyard-profile'] = profile;
  expect((await postRaw(url, '/v1/messages', body, headers)).status).toBe(200);
};

interface Listed {
  requests: { client: string | null; profile: string | null; model: string | null; bucket: string | null }[];
}

async function listed(url: string, query: string): Promise<Listed['requests']> {
  const answer = await fetch(`${url}/dashboard/data/requests?${query}`, { headers: asAdmin });
  expect(answer.status, query).toBe(200);
  return ((await answer.json()) as Listed).requests;
}

async function csvLines(url: string, path: string): Promise<string[]> {
  const answer = await fetch(`${url}${path}`, { headers: asAdmin });
  expect(answer.status, path).toBe(200);
  expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  return (await answer.text()).trim().split('\r\n');
}

describe('the request log filters and CSV exports for scripts', () => {
  it('filters requests by client, profile, model, status and text, in JSON and CSV alike', async () => {
    const url = await start();
    await send(url, aliceKey, 'claude-sonnet-4-6');
    await send(url, bobKey, 'claude-haiku-4-5');
    await send(url, bobKey, 'claude-sonnet-4-6', 'second');

    expect((await listed(url, 'client=alice')).map((entry) => entry.client)).toEqual(['alice']);
    expect((await listed(url, 'client=bob')).map((entry) => entry.model)).toEqual([
      'claude-sonnet-4-6',
      'claude-haiku-4-5',
    ]);
    expect((await listed(url, 'profile=second')).map((entry) => entry.bucket)).toEqual(['anthropic/b']);
    expect((await listed(url, 'model=claude-haiku-4-5')).map((entry) => entry.client)).toEqual(['bob']);
    expect((await listed(url, 'client=bob&model=claude-sonnet-4-6')).map((entry) => entry.profile)).toEqual(['second']);
    expect(await listed(url, 'status=error')).toEqual([]);
    expect((await listed(url, 'status=ok')).length).toBe(3);
    // `text` searches as `search` does: every word somewhere in the entry.
    expect((await listed(url, 'text=haiku')).map((entry) => entry.client)).toEqual(['bob']);
    expect((await listed(url, 'text=bob anthropic/b')).map((entry) => entry.profile)).toEqual(['second']);
    expect(await listed(url, 'model=no-such-model')).toEqual([]);

    const lines = await csvLines(url, '/dashboard/data/requests?format=csv&client=bob&model=claude-haiku-4-5');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',bob,pool,claude-haiku-4-5,');
  });

  it('exports the quota windows and every usage table as CSV', async () => {
    const url = await start();
    await send(url, aliceKey, 'claude-sonnet-4-6');

    const quota = (await (await fetch(`${url}/dashboard/data/quota`, { headers: asAdmin })).json()) as {
      buckets: { key: string; windows: { name: string; used: number | null; resetsAt: string | null }[] }[];
    };
    const windows = quota.buckets.find((bucket) => bucket.key === 'anthropic/a')!.windows;
    expect(windows.length).toBeGreaterThan(0);
    const lines = await csvLines(url, '/dashboard/data/quota?format=csv');
    expect(lines[0]).toBe('bucket,binding,window,used,status,family,resetsAt,seenAt');
    expect(lines).toHaveLength(1 + windows.length);
    for (const window of windows) {
      const line = lines.find(
        (candidate) => candidate.startsWith(`anthropic/a,`) && candidate.includes(`,${window.name},`),
      );
      expect(line, window.name).toBeDefined();
      expect(line).toContain(`,${window.used ?? ''},`);
      if (window.resetsAt !== null) expect(line).toContain(window.resetsAt);
    }
    const unauthorised = await fetch(`${url}/dashboard/data/quota?format=csv`);
    expect(unauthorised.status).toBe(401);

    for (const table of ['buckets', 'clients', 'models']) {
      const usage = await csvLines(url, `/dashboard/data/usage?format=csv&table=${table}`);
      expect(usage[0], table).toMatch(/^name,requests,inputTokens,cacheReadTokens,cacheWriteTokens,outputTokens,cost/);
      expect(usage, table).toHaveLength(2);
    }
    expect((await csvLines(url, '/dashboard/data/usage?format=csv&table=clients'))[1]).toMatch(/^alice,1,/);
  });
});
