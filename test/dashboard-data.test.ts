import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ownAssetNames } from '../src/server/dashboard-assets.js';
import { createHarness, type Harness } from './support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const adminKey = 'dashboard-data-admin-key';
const asAdmin = { authorization: `Bearer ${adminKey}` };

async function start(): Promise<string> {
  harness = await createHarness();
  await harness.addBucket('anthropic', 'a');
  await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
  return (await harness.startRouter({ profile: 'pool', environment: { SWITCHYARD_ADMIN_KEY: adminKey } })).url;
}

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
    const page = await fetch(`${url}/dashboard`);
    const html = await page.text();
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
    for (const path of ['/dashboard/data', '/dashboard/data/quota']) {
      const answer = await fetch(`${url}${path}`);
      expect(answer.status, path).toBe(401);
      expect(((await answer.json()) as { error: { message: string } }).error.message).toBe(
        'This route needs the admin key (SWITCHYARD_ADMIN_KEY) as "Authorization: Bearer <key>".',
      );
      expect((await fetch(`${url}${path}`, { headers: asAdmin })).status, path).toBe(200);
    }
  });
});
