import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchTestBrowser } from './support/find-browser.js';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw } from './support/raw-requests.js';

const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const message = JSON.stringify({
  model: 'claude-sonnet-4-6',
  max_tokens: 32,
  messages: [{ role: 'user', content: 'Hi' }],
});

/** Polls an element's text until `accept` takes it; fails after `timeout` ms with the last text seen. */
async function waitForText(
  page: Page,
  selector: string,
  accept: (text: string) => boolean,
  timeout = 2_000,
): Promise<string> {
  const deadline = Date.now() + timeout;
  let text = '';
  for (;;) {
    text = (await page.textContent(selector, { timeout })) ?? '';
    if (accept(text)) return text;
    if (Date.now() > deadline) throw new Error(`${selector} still shows "${text}" after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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
      /^default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; connect-src 'self'/,
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
});
