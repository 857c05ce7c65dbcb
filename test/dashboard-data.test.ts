import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { calcPrice } from '@pydantic/genai-prices';
import { afterEach, describe, expect, it } from 'vitest';
import { ownAssetNames } from '../src/server/dashboard-assets.js';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw } from './support/raw-requests.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const adminKey = 'dashboard-data-admin-key';
const asAdmin = { authorization: `Bearer ${adminKey}` };

async function start(configExtra = ''): Promise<string> {
  harness = await createHarness({ configExtra });
  await harness.addBucket('anthropic', 'a');
  await harness.addBucket('anthropic', 'b');
  await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, b]\n');
  return (await harness.startRouter({ profile: 'pool', environment: { SWITCHYARD_ADMIN_KEY: adminKey } })).url;
}

const message = JSON.stringify({
  model: 'claude-sonnet-4-6',
  max_tokens: 32,
  messages: [{ role: 'user', content: 'Hi' }],
});
const send = (url: string) => postRaw(url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' });

async function data<T>(url: string, path: string): Promise<T> {
  const answer = await fetch(`${url}${path}`, { headers: asAdmin });
  expect(answer.status, path).toBe(200);
  return (await answer.json()) as T;
}

interface SeriesAnswer {
  times: number[];
  series: { name: string; requests: number[]; tokens: number[]; failovers: number[]; errors: number[] }[];
}
const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0);

describe('the dashboard data and assets', () => {
  it('serves its script, styles and chart library itself, and nothing else under /dashboard/assets/', async () => {
    const url = await start();
    expect((await readdir(new URL('../assets/dashboard/', import.meta.url))).sort()).toEqual([...ownAssetNames].sort());
    for (const [name, type] of [
      ['dashboard.js', 'text/javascript; charset=utf-8'],
      ['overview.js', 'text/javascript; charset=utf-8'],
      ['dashboard.css', 'text/css; charset=utf-8'],
      ['uplot.js', 'text/javascript; charset=utf-8'],
      ['uplot.css', 'text/css; charset=utf-8'],
    ]) {
      const answer = await fetch(`${url}/dashboard/assets/${name}`);
      expect(answer.status, name).toBe(200);
      expect(answer.headers.get('content-type')).toBe(type);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await answer.text()).length).toBeGreaterThan(100);
    }
    expect(await (await fetch(`${url}/dashboard/assets/uplot.js`)).text()).toContain('uPlot');
    for (const name of ['package.json', '..%2Fpackage.json', 'missing.js']) {
      const answer = await fetch(`${url}/dashboard/assets/${name}`);
      expect(answer.status, name).toBe(404);
    }
    // Everything the page loads stays under the 300 KB.
    let bytes = 0;
    for (const name of [...ownAssetNames, 'uplot.js', 'uplot.css'])
      bytes += (await (await fetch(`${url}/dashboard/assets/${name}`)).arrayBuffer()).byteLength;
    const page = await fetch(`${url}/dashboard`);
    const html = await page.text();
    expect(bytes + Buffer.byteLength(html)).toBeLessThan(300 * 1024);
    expect(html).not.toMatch(/<script>|<style>|https?:\/\//);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('shows the profiles in use, and a bundled example only once it is loaded', async () => {
    const url = await start();
    const shown = async () =>
      (
        (await (await fetch(`${url}/dashboard/data`, { headers: asAdmin })).json()) as { profiles: { name: string }[] }
      ).profiles.map((profile) => profile.name);
    expect(await shown()).toEqual(['pool']);
    // Twice: reading the data must not count as loading every example.
    expect(await shown()).toEqual(['pool']);
    const switched = await fetch(`${url}/profiles/active`, {
      method: 'PUT',
      headers: { ...asAdmin, 'content-type': 'application/json' },
      body: JSON.stringify({ profile: 'anthropic-primary' }),
    });
    expect(switched.status).toBe(200);
    expect((await shown()).sort()).toEqual(['anthropic-primary', 'pool']);
  });

  it('refuses the data routes without the admin key', async () => {
    const url = await start();
    for (const path of [
      '/dashboard/data',
      '/dashboard/data/quota',
      '/dashboard/data/series?range=hour',
      '/dashboard/data/requests',
      '/dashboard/data/requests?format=csv',
      '/dashboard/data/usage',
      '/dashboard/data/usage?format=csv&table=models',
    ]) {
      const answer = await fetch(`${url}${path}`);
      expect(answer.status, path).toBe(401);
      expect(((await answer.json()) as { error: { message: string } }).error.message).toBe(
        'This route needs the admin key (SWITCHYARD_ADMIN_KEY) as "Authorization: Bearer <key>".',
      );
      expect((await fetch(`${url}${path}`, { headers: asAdmin })).status, path).toBe(200);
    }
  });

  it('keeps requests, tokens, failovers and errors per bucket and per client by the minute, across a restart', async () => {
    let url = await start();
    harness!.simulator.setBehavior('anthropic-a', {
      kind: 'rate-limit',
      style: 'retry-after-seconds',
      resetSeconds: 90,
    });
    expect((await send(url)).headers.get('x-switchyard-bucket')).toBe('anthropic/b');
    expect((await send(url)).status).toBe(200);

    const byBucket = await data<SeriesAnswer>(url, '/dashboard/data/series?range=hour');
    expect(byBucket.times).toHaveLength(60);
    const bucket = (name: string) => byBucket.series.find((entry) => entry.name === name)!;
    expect(byBucket.series.map((entry) => entry.name)).toEqual(['anthropic/a', 'anthropic/b']);
    expect(total(bucket('anthropic/a').requests)).toBe(1);
    expect(total(bucket('anthropic/a').failovers)).toBe(1);
    expect(total(bucket('anthropic/a').errors)).toBe(1);
    expect(total(bucket('anthropic/b').requests)).toBe(2);
    expect(total(bucket('anthropic/b').errors)).toBe(0);
    expect(total(bucket('anthropic/b').tokens)).toBeGreaterThan(0);
    const byClient = await data<SeriesAnswer>(url, '/dashboard/data/series?range=week&by=client');
    expect(byClient.times).toHaveLength(168);
    expect(byClient.series.map((entry) => entry.name)).toEqual(['anonymous']);
    expect(total(byClient.series[0]!.requests)).toBe(2);
    expect(total(byClient.series[0]!.failovers)).toBe(1);

    const csv = await fetch(`${url}/dashboard/data/series?range=hour&format=csv`, { headers: asAdmin });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('time,bucket,requests,tokens,failovers,errors');
    expect(lines).toHaveLength(1 + 2 * 60);

    const wrong = await fetch(`${url}/dashboard/data/series?range=year`, { headers: asAdmin });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe(
      'Unknown range "year": use hour, day, week.',
    );

    // Kept in series.json (0600) when the server stops, and read back by the next one.
    await harness!.router().close();
    const file = await stat(join(harness!.home, 'series.json'));
    expect(file.mode & 0o777).toBe(0o600);
    url = (await harness!.startRouter({ profile: 'pool', environment: { SWITCHYARD_ADMIN_KEY: adminKey } })).url;
    const after = await data<SeriesAnswer>(url, '/dashboard/data/series?range=day');
    expect(total(after.series.find((entry) => entry.name === 'anthropic/b')!.requests)).toBe(2);
  });

  it('lists recent requests with their trail, status, tokens and timings, filtered, searched and as CSV', async () => {
    const url = await start('dashboard:\n  requestLogSize: 3\n');
    harness!.simulator.setBehavior('anthropic-a', {
      kind: 'rate-limit',
      style: 'retry-after-seconds',
      resetSeconds: 90,
    });
    await send(url);
    // Malformed JSON: refused before routing, listed with its status and code, never its body.
    await postRaw(url, '/v1/messages', '{"model": "claude-sonnet-4-6", "messages": "secret-body-text"', {
      'anthropic-version': '2023-06-01',
    });
    type Listed = {
      keep: { minutes: number; requests: number };
      bodyCapture: boolean;
      requests: Record<string, unknown>[];
    };
    const listed = await data<Listed>(url, '/dashboard/data/requests');
    expect(listed.keep).toEqual({ minutes: 60, requests: 3 });
    expect(listed.bodyCapture).toBe(false);
    expect(listed.requests.length).toBeGreaterThanOrEqual(2);
    const served = listed.requests.find((entry) => entry.status === 200)!;
    expect(served).toMatchObject({
      client: null,
      profile: 'pool',
      model: 'claude-sonnet-4-6',
      attempts: ['anthropic/a:429', 'anthropic/b:200'],
      bucket: 'anthropic/b',
    });
    expect(served.inputTokens).toBeGreaterThan(0);
    expect(served.firstByteMs).toEqual(expect.any(Number));
    expect(served.durationMs).toEqual(expect.any(Number));
    expect(JSON.stringify(listed)).not.toMatch(/sim-o[ar]t-|Hi"|secret-body-text/);
    expect(listed.requests[0]).toMatchObject({ status: 400, path: '/v1/messages', attempts: [], bucket: null });

    const failed = await data<Listed>(url, '/dashboard/data/requests?status=error');
    expect(failed.requests.every((entry) => entry.status !== 200)).toBe(true);
    expect(failed.requests.length).toBe(listed.requests.length - 1);
    const searched = await data<Listed>(url, '/dashboard/data/requests?search=anthropic/a:429');
    expect(searched.requests.map((entry) => entry.bucket)).toEqual(['anthropic/b']);
    expect((await data<Listed>(url, '/dashboard/data/requests?search=nothing-like-this')).requests).toEqual([]);

    // The configured size: a fourth request pushes out the first.
    for (let index = 0; index < 3; index += 1) await send(url);
    expect((await data<Listed>(url, '/dashboard/data/requests')).requests).toHaveLength(3);

    const csv = await fetch(`${url}/dashboard/data/requests?format=csv&status=ok`, { headers: asAdmin });
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="switchyard-requests.csv"');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'time,client,profile,model,attempts,bucket,status,code,inputTokens,outputTokens,firstByteMs,durationMs,path,stream',
    );
    expect(lines).toHaveLength(4);
    const bad = await fetch(`${url}/dashboard/data/requests?status=sometimes`, { headers: asAdmin });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe(
      'Unknown status filter: use ok, error or a status code such as 429.',
    );
  });

  it('shows tokens and the estimated cost per bucket, client and model, priced by the price package, with CSV', async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'a');
    await harness.addBucket('anthropic', 'key', { apiKey: true });
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    await harness.writeProfile('keyed', 'type: model\nprovider: anthropic\nbuckets: [key]\n');
    const url = (await harness.startRouter({ profile: 'pool', environment: { SWITCHYARD_ADMIN_KEY: adminKey } })).url;
    expect((await send(url)).status).toBe(200);
    const keyed = await postRaw(url, '/v1/messages', message, {
      'anthropic-version': '2023-06-01',
      'x-switchyard-profile': 'keyed',
    });
    expect(keyed.status).toBe(200);
    type Line = {
      name: string;
      requests: number;
      inputTokens: number;
      cacheReadTokens: number;
      outputTokens: number;
      cost: number | null;
      billing?: string;
    };
    type Usage = { buckets: Line[]; clients: Line[]; models: Line[] };
    const usage = await data<Usage>(url, '/dashboard/data/usage');
    const subscription = usage.buckets.find((line) => line.name === 'anthropic/a')!;
    expect(subscription).toMatchObject({ requests: 1, cacheReadTokens: 0, billing: 'subscription' });
    expect(subscription.inputTokens).toBeGreaterThan(0);
    const price = calcPrice(
      { input_tokens: subscription.inputTokens, cache_read_tokens: 0, output_tokens: subscription.outputTokens },
      'claude-sonnet-4-6',
      { providerId: 'anthropic' },
    );
    expect(subscription.cost).toBe(price!.total_price);
    expect(usage.buckets.find((line) => line.name === 'anthropic/key')).toMatchObject({ requests: 1, billing: 'api' });
    expect(usage.models.map((line) => line.name)).toEqual(['claude-sonnet-4-6']);
    expect(usage.models[0]!.requests).toBe(2);
    expect(usage.clients.map((line) => line.name)).toEqual(['anonymous']);

    const csv = await fetch(`${url}/dashboard/data/usage?format=csv&table=buckets`, { headers: asAdmin });
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'name,requests,inputTokens,cacheReadTokens,cacheWriteTokens,outputTokens,cost,unpriced,billing',
    );
    expect(lines.find((line) => line.startsWith('anthropic/a,'))).toBe(
      `anthropic/a,1,${subscription.inputTokens},0,0,${subscription.outputTokens},${price!.total_price},false,subscription`,
    );
  });

  it('leaves the price table out of the bundle, loaded from node_modules only when usage is asked for', async () => {
    const bundle = fileURLToPath(new URL('../dist/bundle/switchyard.cjs', import.meta.url));
    const text = await readFile(bundle, 'utf8');
    expect(text).toMatch(/\(["']@pydantic\/genai-prices["']\)/);
    expect(text).not.toContain('pydantic/genai-prices/main/prices');
    expect(createRequire(bundle).resolve('@pydantic/genai-prices')).toMatch(/node_modules/);
  });
});
