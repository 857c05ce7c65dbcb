import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tokenFilePath } from '../src/config/paths.js';
import type { ProviderName } from '../src/core/types.js';
import { openWatchedPage, screenshot, waitForText } from './support/dashboard-page.js';
import { launchTestBrowser } from './support/find-browser.js';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw } from './support/raw-requests.js';
import { pointLoginAtSimulator } from './support/simulator-login-config.js';

const adminKey = 'callback-login-admin-key';

// A login whose code comes back to a callback the server listens on (on a port the system
// chose): the page shows the authorize URL, the person approves in another tab, the provider's
// page sends that tab to the callback, and the page follows the login to its end.
describe('the Buckets view logs a bucket in through a local callback', () => {
  let browser: Browser;
  let harness: Harness;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    browser = await launchTestBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    harness = await createHarness();
    ({ page, problems } = await openWatchedPage(browser));
  });

  afterEach(async () => {
    expect(problems).toEqual([]);
    await page?.close();
    await harness.close();
  });

  /** Starts the login from the form and answers the authorize URL the page shows. */
  async function startLogin(provider: ProviderName, bucket: string, way: string): Promise<string> {
    await page.click('#tab-buckets');
    await page.waitForSelector('#login');
    await page.selectOption('#login-provider', provider);
    await page.fill('#login-bucket', bucket);
    await page.selectOption('#login-way', way);
    await page.click('#login button[type="submit"]');
    await page.waitForSelector('#login-progress:not([hidden]) #login-url');
    return (await page.getAttribute('#login-url', 'href')) ?? '';
  }

  /** The person approves in another tab; the provider's page sends that tab to the callback. */
  async function approve(authorizeUrl: string, account: string): Promise<string> {
    const tab = await browser.newPage();
    try {
      await tab.goto(authorizeUrl);
      await tab.fill('input[name="account"]', account);
      await Promise.all([tab.waitForURL(/^http:\/\/localhost:\d+\//), tab.click('button[value="approve"]')]);
      return `${new URL(tab.url()).pathname} ${await tab.textContent('h1')}`;
    } finally {
      await tab.close();
    }
  }

  it('gemini: its own login comes back to a callback on a free port; the bucket serves at once', async () => {
    const authorizeUrl = await pointLoginAtSimulator(harness, 'gemini');
    await harness.writeProfile('gem', 'type: model\nprovider: gemini\nmodel: gemini-2.5-pro\nbuckets: [gcp]\n');
    const { url } = await harness.startRouter({ profile: 'gem', environment: { SWITCHYARD_ADMIN_KEY: adminKey } });
    await page.goto(`${url}/dashboard#key=${adminKey}`);

    const opened = await startLogin('gemini', 'gcp', 'browser');
    expect(opened.startsWith(authorizeUrl)).toBe(true);
    const callback = new URL(new URL(opened).searchParams.get('redirect_uri') ?? '');
    expect(callback.hostname).toBe('localhost');
    expect(callback.pathname).toBe('/oauth2callback');
    expect(Number(callback.port)).toBeGreaterThan(0);
    const lines = (await page.textContent('#login-lines')) ?? '';
    expect(lines).toContain("Gemini CLI's consumer OAuth (free, AI Pro, Ultra) stopped on 2026-06-18");
    expect(lines).toContain(`Open this URL in a browser to log in to gemini:\n\n  ${opened}`);
    // No code to paste: the page says, in the CLI's words, where it waits for the browser.
    expect(await page.$('#login-code')).toBeNull();
    expect(await page.textContent('#login-waiting')).toBe(
      `Waiting for the browser to come back to ${callback.href}\u2026`,
    );
    await screenshot(page, 'dashboard-callback-login-started');

    expect(await approve(opened, 'gem')).toBe('/oauth2callback Login complete');
    await waitForText(page, '#bucket-actions-status', (text) => text.startsWith('Logged in'), 10_000);
    expect(await page.textContent('#bucket-actions-status')).toMatch(
      /^Logged in: gemini\/gcp \(expires [^,]+, refresh token stored\)\. The pool uses it at once\.$/,
    );
    expect(await page.isHidden('#login-progress')).toBe(true);
    await waitForText(page, '#bucket-table tr[data-bucket="gemini/gcp"] .state', (text) => text === 'ready');
    await screenshot(page, 'dashboard-callback-login-done');

    const stored = JSON.parse(await readFile(tokenFilePath(harness.paths, 'gemini', 'gcp'), 'utf8'));
    expect(await page.content()).not.toContain(stored.access_token);
    const answer = await postRaw(
      url,
      '/v1beta/models/gemini-2.5-pro:generateContent',
      JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] }),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-switchyard-bucket')).toBe('gemini/gcp');
    expect(harness.simulator.counts('gem').byStatus).toEqual({ 200: 1 });
    // The callback listened for this login only: it is closed once the code came back.
    await expect(fetch(callback.href.replace('localhost', '127.0.0.1'))).rejects.toThrow();
  });

  it('anthropic: "Local callback" instead of pasting the code; the bucket serves at once', async () => {
    await pointLoginAtSimulator(harness, 'anthropic');
    await harness.writeProfile('web', 'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [web]\n');
    const { url } = await harness.startRouter({ profile: 'web', environment: { SWITCHYARD_ADMIN_KEY: adminKey } });
    await page.goto(`${url}/dashboard#key=${adminKey}`);

    const opened = await startLogin('anthropic', 'web', 'loopback');
    const callback = new URL(new URL(opened).searchParams.get('redirect_uri') ?? '');
    expect(`${callback.hostname} ${callback.pathname}`).toBe('localhost /callback');
    expect(await page.$('#login-code')).toBeNull();
    expect(await approve(opened, 'ann')).toBe('/callback Login complete');
    await waitForText(page, '#bucket-actions-status', (text) => text.startsWith('Logged in'), 10_000);
    expect(await page.textContent('#bucket-actions-status')).toMatch(
      /^Logged in: anthropic\/web \(expires [^,]+, refresh token stored\)\. The pool uses it at once\.$/,
    );
    await page.waitForSelector('#bucket-table tr[data-bucket="anthropic/web"]');
    await screenshot(page, 'dashboard-callback-login-anthropic');
    const answer = await postRaw(
      url,
      '/v1/messages',
      JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 32, messages: [{ role: 'user', content: 'Hi' }] }),
      { 'anthropic-version': '2023-06-01' },
    );
    expect(answer.headers.get('x-switchyard-bucket')).toBe('anthropic/web');
    expect(harness.simulator.counts('ann').byStatus).toEqual({ 200: 1 });
  });
});
