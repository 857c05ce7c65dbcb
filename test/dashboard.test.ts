import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitForText } from './support/dashboard-page.js';
import { launchTestBrowser } from './support/find-browser.js';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw } from './support/raw-requests.js';

const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const message = JSON.stringify({
  model: 'claude-sonnet-4-6',
  max_tokens: 32,
  messages: [{ role: 'user', content: 'Hi' }],
});

/** Whether the request log shows `count` rows; run in the page (a function: the page's policy forbids eval). */
function requestRows(count: number): boolean {
  const page = globalThis as unknown as { document: { querySelectorAll(selector: string): { length: number } } };
  return page.document.querySelectorAll('#request-table tbody tr').length === count;
}

/** "1:30" or "1:02:03" -> seconds. */
function secondsOf(countdown: string): number {
  return countdown.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

describe('the dashboard in a browser', () => {
  let browser: Browser;
  let harness: Harness;
  let page: Page;

  beforeAll(async () => {
    browser = await launchTestBrowser();
    await mkdir(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    harness = await createHarness();
    for (const bucket of ['primary', 'second']) await harness.addBucket('anthropic', bucket);
    await harness.writeProfile(
      'pool',
      'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [primary, second]\n',
    );
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  afterEach(async () => {
    await page?.close();
    await harness.close();
  });

  const row = (bucket: string) => `section[data-profile="pool"] tr[data-bucket="anthropic/${bucket}"]`;

  it('shows the primary turn cooling with a live countdown within 2 s of a 429, and the next bucket take the traffic', async () => {
    const { url } = await harness.startRouter({ profile: 'pool' });
    const problems: string[] = [];
    page.on('console', (entry) => {
      if (entry.type() === 'error' || entry.type() === 'warning') problems.push(entry.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const served = await page.goto(`${url}/dashboard`);
    expect(served?.headers()['content-security-policy']).toMatch(
      /^default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'/,
    );
    await page.waitForSelector(`${row('primary')}[data-state="ready"].traffic`);
    expect(await page.textContent(`${row('second')} .state`)).toBe('ready');

    harness.simulator.setBehavior('anthropic-primary', {
      kind: 'rate-limit',
      style: 'retry-after-seconds',
      resetSeconds: 90,
    });
    const answers = [];
    for (let index = 0; index < 3; index += 1)
      answers.push(await postRaw(url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' }));
    expect(answers.map((answer) => answer.headers.get('x-switchyard-bucket'))).toEqual([
      'anthropic/second',
      'anthropic/second',
      'anthropic/second',
    ]);

    await page.waitForSelector(`${row('primary')}[data-state="cooling"]`, { timeout: 2_000 });
    const countdown = await page.textContent(`${row('primary')} .countdown`);
    expect(countdown).toMatch(/^\d+:\d\d$/);
    expect(secondsOf(countdown!)).toBeGreaterThan(80);
    expect(secondsOf(countdown!)).toBeLessThanOrEqual(90);
    await page.waitForSelector(`${row('second')}.traffic`, { timeout: 2_000 });
    await waitForText(page, `${row('second')} .requests`, (text) => text === '3');
    expect(await page.textContent(`${row('primary')} .requests`)).toBe('1');
    expect(await page.textContent(`${row('second')} .success`)).toBe('100 %');
    await page.screenshot({ path: `${artifacts}dashboard-cooling.png`, fullPage: true });

    // The countdown follows the server's clock: 60 s later it shows about 30 s left.
    harness.clock.advance(60_000);
    await waitForText(page, `${row('primary')} .countdown`, (text) => /^\d+:\d\d$/.test(text) && secondsOf(text) <= 30);
    // Past the reset the primary is ready again and takes the traffic back.
    harness.clock.advance(31_000);
    await page.waitForSelector(`${row('primary')}[data-state="ready"].traffic`, { timeout: 2_000 });
    // Its own script and style ran under the policy, and it asked nothing of anyone but switchyard.
    expect(problems).toEqual([]);
    expect(requested.every((address) => address.startsWith(`${url}/dashboard`))).toBe(true);
  });

  it('asks for the admin key when one is set, and shows the pool once given', async () => {
    const { url } = await harness.startRouter({
      profile: 'pool',
      environment: { SWITCHYARD_ADMIN_KEY: 'dashboard-admin-key' },
    });
    const data = await fetch(`${url}/dashboard/data`);
    expect(data.status).toBe(401);
    await page.goto(`${url}/dashboard`);
    await page.waitForSelector('#key-form:not([hidden])');
    expect(await page.textContent('#problem')).toBe('This switchyard needs a key to show the pool.');
    await page.fill('#key', 'a-wrong-key');
    await page.click('#key-form button');
    await waitForText(page, '#problem', (text) => text === 'That key was refused.');
    await page.fill('#key', 'dashboard-admin-key');
    await page.click('#key-form button');
    await page.waitForSelector(`${row('primary')}[data-state="ready"]`);
    expect(await page.isHidden('#key-form')).toBe(true);
  });

  it('marks a bucket without a stored login as needing login, with the command that fixes it', async () => {
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [primary, never-logged-in]\n');
    const { url } = await harness.startRouter({ profile: 'pool' });
    await page.goto(`${url}/dashboard`);
    await page.waitForSelector(`${row('never-logged-in')}[data-state="needs-login"]`);
    expect(await page.textContent(`${row('never-logged-in')} .state`)).toBe('needs login');
    expect(await page.textContent(`${row('never-logged-in')} .reset`)).toBe(
      'switchyard auth anthropic login never-logged-in',
    );
  });

  it('moves between its views with the keyboard, every control labelled, and draws a bar per quota window', async () => {
    const { url } = await harness.startRouter({ profile: 'pool' });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${url}/dashboard`);
    await page.waitForSelector(`${row('primary')}[data-state="ready"]`);
    // Only the profile in use: none of the bundled examples the user never loaded.
    expect(await page.$$eval('section[data-profile]', (nodes) => nodes.map((node) => node.dataset.profile))).toEqual([
      'pool',
    ]);

    await page.focus('#tab-overview');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#view-buckets:not([hidden]) #bucket-table');
    expect(await page.$eval(':focus', (node) => node.id)).toBe('tab-buckets');
    expect(await page.isHidden('#view-overview')).toBe(true);
    expect(await page.textContent('#bucket-table')).toContain('anthropic/second');
    expect(await page.isVisible('#bucket-table button[aria-label="Pause anthropic/primary"]')).toBe(true);

    await page.keyboard.press('End');
    await page.waitForSelector('#view-quota:not([hidden])');
    await waitForText(page, '#quota', (text) => text.startsWith('No quota data yet'));
    const headers = {
      'anthropic-ratelimit-unified-5h-status': 'allowed',
      'anthropic-ratelimit-unified-5h-utilization': '0.42',
      'anthropic-ratelimit-unified-7d-status': 'allowed_warning',
      'anthropic-ratelimit-unified-7d-utilization': '0.81',
    };
    harness.simulator.script('anthropic-primary', [{ kind: 'ok', headers }]);
    await postRaw(url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' });
    await page.waitForSelector('.quota-window[data-bucket="anthropic/primary"][data-window="7d"]', { timeout: 7_000 });
    expect(
      await page.$eval(
        '.quota-window[data-window="5h"] meter',
        (meter) => (meter as unknown as { value: number }).value,
      ),
    ).toBe(0.42);
    expect(await page.textContent('.quota-window[data-window="7d"]')).toContain('81 % used');
    await page.screenshot({ path: `${artifacts}dashboard-quota.png`, fullPage: true });

    // Every control has a name a screen reader can say.
    for (const selector of ['#tabs button', 'input', 'select', 'button', 'meter']) {
      const unnamed = await page.$$eval(selector, (nodes) =>
        nodes
          .filter((node) => {
            const labelled = (node as unknown as { labels?: { length: number } }).labels?.length;
            return !labelled && !node.getAttribute('aria-label') && !(node.textContent ?? '').trim();
          })
          .map((node) => node.outerHTML),
      );
      expect(unnamed, selector).toEqual([]);
    }
    expect(problems).toEqual([]);
  });

  it('draws the charts of requests, tokens, failovers and errors, per bucket and per client', async () => {
    const { url } = await harness.startRouter({ profile: 'pool' });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    harness.simulator.setBehavior('anthropic-primary', {
      kind: 'rate-limit',
      style: 'retry-after-seconds',
      resetSeconds: 90,
    });
    for (let index = 0; index < 2; index += 1)
      await postRaw(url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' });
    await page.goto(`${url}/dashboard`);
    await page.waitForSelector('#charts figure[data-measure="failovers"] canvas');
    expect(
      await page.$$eval('#charts figure', (nodes) => nodes.map((node) => node.getAttribute('data-measure'))),
    ).toEqual(['requests', 'tokens', 'failovers', 'errors']);
    const legend = await page.textContent('#charts figure[data-measure="requests"] .u-legend');
    expect(legend).toContain('anthropic/primary');
    expect(legend).toContain('anthropic/second');
    // Side by side on a wide screen (two columns at 1280 px), one above the other on a narrow one.
    const box = async (measure: string) => {
      const found = await (await page.$(`#charts figure[data-measure="${measure}"]`))?.boundingBox();
      if (!found) throw new Error(`no ${measure} chart`);
      return found;
    };
    const boxes = async () => [await box('requests'), await box('tokens')] as const;
    const [requests, tokens] = await boxes();
    expect(tokens.y).toBe(requests.y);
    expect(tokens.x).toBeGreaterThanOrEqual(requests.x + requests.width);
    await page.setViewportSize({ width: 700, height: 900 });
    const [narrowRequests, narrowTokens] = await boxes();
    expect(narrowTokens.y).toBeGreaterThanOrEqual(narrowRequests.y + narrowRequests.height);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: `${artifacts}dashboard-charts.png`, fullPage: true });

    await page.selectOption('#series-by', 'client');
    await page.selectOption('#series-range', 'week');
    await waitForText(
      page,
      '#charts figure[data-measure="requests"] .u-title',
      (text) => text === 'Requests per client',
    );
    expect(await page.textContent('#charts figure[data-measure="requests"] .u-legend')).toContain('anonymous');
    expect(problems).toEqual([]);
  });

  it('filters and searches the request log, and exports it as CSV', async () => {
    const { url } = await harness.startRouter({ profile: 'pool' });
    harness.simulator.setBehavior('anthropic-primary', {
      kind: 'rate-limit',
      style: 'retry-after-seconds',
      resetSeconds: 90,
    });
    await postRaw(url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' });
    await postRaw(url, '/v1/messages', '{"model": ', { 'anthropic-version': '2023-06-01' });
    await page.goto(`${url}/dashboard#requests`);
    await page.waitForSelector('#request-table tbody tr:nth-child(2)');
    expect(await page.textContent('#request-note')).toContain('Bodies are not captured');
    const firstRow = await page.textContent('#request-table tbody tr:last-child');
    expect(firstRow).toContain('anthropic/primary:429 \u2192 anthropic/second:200');

    await page.selectOption('#request-status', 'error');
    await page.waitForFunction(requestRows, 1);
    expect(await page.textContent('#request-table tbody tr')).toContain('400');
    await page.selectOption('#request-status', '');
    await page.fill('#request-search', 'second:200');
    await page.waitForFunction(requestRows, 1);
    expect(await page.textContent('#request-table tbody tr')).toContain('claude-sonnet-4-6');
    await page.screenshot({ path: `${artifacts}dashboard-requests.png`, fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#request-csv')]);
    expect(download.suggestedFilename()).toBe('switchyard-requests.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^time,client,profile,model,attempts,bucket,status/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('anthropic/primary:429 anthropic/second:200');
  });

  it('shows usage and estimated cost per bucket, client and model, and exports each table as CSV', async () => {
    const { url } = await harness.startRouter({ profile: 'pool' });
    await postRaw(url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' });
    await page.goto(`${url}/dashboard#usage`);
    const subscription = 'section[data-table="buckets"] tr[data-name="anthropic/primary"]';
    await page.waitForSelector(subscription);
    expect(await page.textContent(`${subscription} .cost`)).toMatch(/^\$\d+\.\d{4} \(would cost on the API\)$/);
    expect(await page.textContent('section[data-table="models"] tbody')).toContain('claude-sonnet-4-6');
    await page.screenshot({ path: `${artifacts}dashboard-usage.png`, fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#usage-csv-models')]);
    expect(download.suggestedFilename()).toBe('switchyard-usage-models.csv');
    const lines = (await readFile((await download.path())!, 'utf8')).trim().split('\r\n');
    expect(lines[0]).toBe('name,requests,inputTokens,cacheReadTokens,cacheWriteTokens,outputTokens,cost,unpriced');
    expect(lines[1]).toMatch(/^claude-sonnet-4-6,1,\d+,0,0,\d+,0\.\d+,false$/);
  });
});
