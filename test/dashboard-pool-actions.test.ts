import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oauthAt } from '../src/auth/login/testing/test-login-io.js';
import { tokenFilePath } from '../src/config/paths.js';
import { writePrivateFile } from '../src/config/secure-files.js';
import { openWatchedPage, screenshot, waitForText } from './support/dashboard-page.js';
import { launchTestBrowser } from './support/find-browser.js';
import { createHarness, type Harness, simulatorConfig } from './support/harness.js';
import { postRaw } from './support/raw-requests.js';
import { pointLoginAtSimulator } from './support/simulator-login-config.js';

const adminKey = 'pool-actions-admin-key';
const poolYaml = 'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [primary, second]\n';
const message = JSON.stringify({
  model: 'claude-sonnet-4-6',
  max_tokens: 32,
  messages: [{ role: 'user', content: 'Hi' }],
});
const served = async (url: string) =>
  (await postRaw(url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' })).headers.get(
    'x-switchyard-bucket',
  );

/** Presses Tab until the control named `label` has the keyboard (a keyboard user's way there). */
async function tabTo(page: Page, label: string): Promise<void> {
  for (let press = 0; press < 80; press += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.$eval(':focus', (node) => node.getAttribute('aria-label') ?? node.textContent);
    if (focused === label) return;
  }
  throw new Error(`Tab never reached "${label}"`);
}

describe('the Buckets view manages the pool from the page', () => {
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
    for (const bucket of ['primary', 'second']) await harness.addBucket('anthropic', bucket);
    await harness.writeProfile('pool', poolYaml);
    ({ page, problems } = await openWatchedPage(browser));
  });

  afterEach(async () => {
    expect(problems).toEqual([]);
    await page?.close();
    await harness.close();
  });

  async function open(url: string): Promise<void> {
    await page.goto(`${url}/dashboard#key=${adminKey}`);
    await page.click('#tab-buckets');
    await page.waitForSelector('#bucket-table button[aria-label="Pause anthropic/primary"]');
  }

  it('pauses, resumes, resets a rest and logs out a bucket with Tab and Enter, and the routing follows', async () => {
    const { url } = await harness.startRouter({ profile: 'pool', environment: { SWITCHYARD_ADMIN_KEY: adminKey } });
    await open(url);
    await page.focus('#tab-buckets');
    await tabTo(page, 'Pause anthropic/primary');
    await page.keyboard.press('Enter');
    await waitForText(page, '#bucket-actions-status', (text) => text.startsWith('Paused'));
    expect(await page.textContent('#bucket-actions-status')).toBe(
      'Paused anthropic/primary: no request goes to it until `switchyard bucket resume anthropic/primary`.',
    );
    await waitForText(page, '#bucket-table tr[data-bucket="anthropic/primary"] .state', (text) => text === 'paused');
    expect(await served(url)).toBe('anthropic/second');
    await screenshot(page, 'dashboard-bucket-paused');

    await page.focus('#tab-buckets');
    await tabTo(page, 'Resume anthropic/primary');
    await page.keyboard.press('Enter');
    await waitForText(page, '#bucket-actions-status', (text) => text.startsWith('Resumed'));
    expect(await page.textContent('#bucket-actions-status')).toBe(
      'Resumed anthropic/primary: it takes requests again.',
    );
    expect(await served(url)).toBe('anthropic/primary');

    // A 429 rests the primary; the button clears the rest and it takes the traffic again.
    harness.simulator.setBehavior('anthropic-primary', {
      kind: 'rate-limit',
      style: 'retry-after-seconds',
      resetSeconds: 90,
    });
    expect(await served(url)).toBe('anthropic/second');
    harness.simulator.setBehavior('anthropic-primary', undefined);
    const reset = '#bucket-table button[aria-label="Reset the rest of anthropic/primary"]:not([disabled])';
    await page.waitForSelector(reset);
    await page.focus('#tab-buckets');
    await tabTo(page, 'Reset the rest of anthropic/primary');
    await page.keyboard.press('Enter');
    await waitForText(page, '#bucket-actions-status', (text) => text.startsWith('Reset anthropic/primary:'));
    expect(await page.textContent('#bucket-actions-status')).toBe(
      'Reset anthropic/primary: its rest and what its answers said of its windows are cleared; it takes requests now.',
    );
    await waitForText(page, '#bucket-table tr[data-bucket="anthropic/primary"] .state', (text) => text === 'ready');
    await screenshot(page, 'dashboard-bucket-reset');
    expect(await served(url)).toBe('anthropic/primary');

    // "Log out" asks first; answering no leaves the tokens where they are.
    const logout = '#bucket-table button[aria-label="Log out anthropic/second"]';
    const questions: string[] = [];
    page.once('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.dismiss();
    });
    await page.click(logout);
    await expect
      .poll(() => questions)
      .toEqual([
        'Log out anthropic/second? Its stored tokens are removed; it takes requests again only after a new login.',
      ]);
    await readFile(tokenFilePath(harness.paths, 'anthropic', 'second'), 'utf8');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click(logout);
    await waitForText(page, '#bucket-actions-status', (text) => text.startsWith('Logged out'));
    expect(await page.textContent('#bucket-actions-status')).toBe(
      'Logged out anthropic/second: its stored tokens are removed.',
    );
    await expect(readFile(tokenFilePath(harness.paths, 'anthropic', 'second'), 'utf8')).rejects.toThrow(/ENOENT/);
    await waitForText(
      page,
      '#bucket-table tr[data-bucket="anthropic/second"] .state',
      (text) => text === 'needs login',
    );
    await screenshot(page, 'dashboard-bucket-logged-out');
  });

  it('logs a bucket in through the provider simulator: opens the login page, pastes its code, the bucket serves', async () => {
    const loginPage = await pointLoginAtSimulator(harness, 'anthropic');
    await harness.writeProfile('web', 'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [web]\n');
    const { url } = await harness.startRouter({ profile: 'web', environment: { SWITCHYARD_ADMIN_KEY: adminKey } });
    await page.goto(`${url}/dashboard#key=${adminKey}`);
    await page.click('#tab-buckets');
    await page.waitForSelector('#login');
    await page.selectOption('#login-provider', 'anthropic');
    await page.fill('#login-bucket', 'web');
    await page.focus('#login-bucket');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#login-progress:not([hidden]) #login-code');
    expect(await page.textContent('#login-lines')).toContain('Open this URL in a browser to log in to anthropic');
    for (const id of ['login-provider', 'login-bucket', 'login-way', 'login-code'])
      expect(await page.textContent(`label[for="${id}"]`), id).not.toBe('');
    await screenshot(page, 'dashboard-login-started');

    // The person opens the provider's page (here the simulator's), approves, and copies its code.
    const authorizeUrl = await page.getAttribute('#login-url', 'href');
    expect(authorizeUrl?.startsWith(loginPage)).toBe(true);
    const provider = await browser.newPage();
    await provider.goto(authorizeUrl ?? '');
    await provider.fill('input[name="account"]', 'webby');
    await provider.click('button[value="approve"]');
    const code = (await provider.textContent('#authorization-code')) ?? '';
    await provider.close();
    expect(code).toMatch(/#/);

    await page.fill('#login-code', code);
    await page.keyboard.press('Enter');
    await waitForText(page, '#bucket-actions-status', (text) => text.startsWith('Logged in'));
    expect(await page.textContent('#bucket-actions-status')).toMatch(
      /^Logged in: anthropic\/web \(expires [^,]+, refresh token stored\)\. The pool uses it at once\.$/,
    );
    expect(await page.isHidden('#login-progress')).toBe(true);
    await page.waitForSelector('#bucket-table tr[data-bucket="anthropic/web"]');
    await screenshot(page, 'dashboard-login-done');
    const stored = JSON.parse(await readFile(tokenFilePath(harness.paths, 'anthropic', 'web'), 'utf8'));
    expect(stored.refresh_token).toEqual(expect.any(String));
    expect(await page.content()).not.toContain(stored.access_token);
    expect(await served(url)).toBe('anthropic/web');
    expect(harness.simulator.counts('webby').byStatus).toEqual({ 200: 1 });
  });

  it('logs a qwen bucket in with a device code: the page shows the code and follows the approval', async () => {
    const oauth = oauthAt('qwen', harness.simulator.url);
    await writePrivateFile(
      harness.paths.config,
      simulatorConfig(harness.simulator.url).replace(
        `  qwen:\n    baseUrl: ${harness.simulator.url}/v1\n    tokenUrl: ${harness.simulator.url}/oauth/token\n`,
        `  qwen:\n    baseUrl: ${harness.simulator.url}/v1\n    tokenUrl: ${oauth.tokenUrl}\n` +
          `    authorizeUrl: ${oauth.authorizeUrl}\n    deviceUrl: ${oauth.deviceUrl}\n`,
      ),
    );
    const { url } = await harness.startRouter({ profile: 'pool', environment: { SWITCHYARD_ADMIN_KEY: adminKey } });
    await open(url);
    await page.selectOption('#login-provider', 'qwen');
    await page.fill('#login-bucket', 'q1');
    await page.click('#login button[type="submit"]');
    await page.waitForSelector('#login-progress:not([hidden]) #login-url');
    expect(await page.textContent('#login-lines')).toMatch(/To log in to qwen, open[\s\S]+and confirm the code \S+/);
    // A device flow asks for no code: the page waits for the provider's approval.
    expect(await page.$('#login-code')).toBeNull();
    await screenshot(page, 'dashboard-device-login-started');

    const verification = await page.getAttribute('#login-url', 'href');
    expect(verification?.startsWith(`${harness.simulator.url}/device?user_code=`)).toBe(true);
    const provider = await browser.newPage();
    await provider.goto(verification ?? '');
    await provider.fill('input[name="account"]', 'quinn');
    await provider.click('button[value="approve"]');
    await provider.close();

    await waitForText(page, '#bucket-actions-status', (text) => text.startsWith('Logged in'), 20_000);
    expect(await page.textContent('#bucket-actions-status')).toMatch(
      /^Logged in: qwen\/q1 \(.+\)\. The pool uses it at once\.$/,
    );
    await page.waitForSelector('#bucket-table tr[data-bucket="qwen/q1"]');
    await screenshot(page, 'dashboard-device-login-done');
    expect(JSON.parse(await readFile(tokenFilePath(harness.paths, 'qwen', 'q1'), 'utf8'))).toMatchObject({
      resource_url: harness.simulator.url,
    });
  });

  it('shows why a login cannot start, and a wrong code, in the words of the CLI', async () => {
    const { url } = await harness.startRouter({ profile: 'pool', environment: { SWITCHYARD_ADMIN_KEY: adminKey } });
    await open(url);
    await page.fill('#login-bucket', '../escape');
    await page.click('#login button[type="submit"]');
    await waitForText(page, '#login-error', (text) => text !== '');
    expect(await page.textContent('#login-error')).toBe(
      'Invalid bucket name "../escape": use 1-64 characters from A-Z a-z 0-9 . _ @ + - (no slashes, no "..").',
    );
    // No device code flow at Anthropic: refused before anything leaves the machine.
    await page.selectOption('#login-provider', 'anthropic');
    await page.selectOption('#login-way', 'device');
    await page.fill('#login-bucket', 'web');
    await page.click('#login button[type="submit"]');
    await waitForText(page, '#login-error', (text) => text.startsWith('Login'));
    expect(await page.textContent('#login-error')).toBe(
      'Login to anthropic failed: anthropic has no device code login; use the browser login ' +
        '(--no-browser prints the URL to open elsewhere).',
    );
    expect(await page.isHidden('#login-progress')).toBe(true);

    // A code from another login attempt is refused, and nothing is stored.
    await page.selectOption('#login-way', 'browser');
    await page.click('#login button[type="submit"]');
    await page.waitForSelector('#login-progress:not([hidden]) #login-code');
    await page.fill('#login-code', 'some-code#another-state');
    await page.click('#login-paste button[type="submit"]');
    await waitForText(page, '#login-paste-error', (text) => text !== '');
    expect(await page.textContent('#login-paste-error')).toMatch(
      /^Login to anthropic failed: the code belongs to another login attempt \(state mismatch\)\./,
    );
    await expect(readFile(tokenFilePath(harness.paths, 'anthropic', 'web'), 'utf8')).rejects.toThrow(/ENOENT/);
    await screenshot(page, 'dashboard-login-refused');
  });

  it('creates a profile, shows a refused one with the CLI message, loads it and makes it the default', async () => {
    const { url } = await harness.startRouter({ profile: 'pool', environment: { SWITCHYARD_ADMIN_KEY: adminKey } });
    await open(url);
    await page.fill('#create-name', 'spare');
    await page.selectOption('#create-provider', 'anthropic');
    await page.fill('#create-buckets', 'second, ../primary');
    await page.click('#profile-create button[type="submit"]');
    await waitForText(page, '#profile-create-error', (text) => text !== '');
    expect(await page.textContent('#profile-create-error')).toBe(
      'Invalid bucket name "../primary": use 1-64 characters from A-Z a-z 0-9 . _ @ + - (no slashes, no "..").',
    );
    await screenshot(page, 'dashboard-profile-create-refused');
    await expect(readFile(join(harness.paths.profiles, 'spare.yaml'), 'utf8')).rejects.toThrow(/ENOENT/);

    await page.fill('#create-buckets', 'second, primary');
    await page.focus('#create-buckets');
    await page.keyboard.press('Enter');
    await waitForText(page, '#bucket-actions-status', (text) => text.startsWith('Saved'));
    expect(await page.textContent('#bucket-actions-status')).toBe('Saved model profile spare: second \u2192 primary');
    expect(await readFile(join(harness.paths.profiles, 'spare.yaml'), 'utf8')).toBe(
      'type: model\nprovider: anthropic\nbuckets: [second, primary]\n',
    );

    await page.waitForSelector('#profile-choice option[value="spare"]', { state: 'attached' });
    await page.selectOption('#profile-choice', 'spare');
    await page.click('#profile-pick button[type="submit"]:not(#profile-set-default)');
    await waitForText(page, '#bucket-actions-status', (text) => text.startsWith('Loaded'));
    expect(await page.textContent('#bucket-actions-status')).toBe(
      'Loaded spare: anthropic/second \u2192 anthropic/primary',
    );
    expect(await served(url)).toBe('anthropic/second');
    expect(JSON.parse(await readFile(harness.paths.state, 'utf8')).activeProfile).toBe('spare');

    await page.selectOption('#profile-choice', 'spare');
    await page.focus('#profile-set-default');
    await page.keyboard.press('Enter');
    await waitForText(page, '#bucket-actions-status', (text) => text.startsWith('Default'));
    expect(await page.textContent('#bucket-actions-status')).toBe('Default profile: spare');
    expect(await readFile(harness.paths.config, 'utf8')).toContain('defaultProfile: spare');
    await waitForText(page, '#profile-summary', (text) => text === 'Active: spare; default: spare.');
    await screenshot(page, 'dashboard-profile-default');
  });
});
