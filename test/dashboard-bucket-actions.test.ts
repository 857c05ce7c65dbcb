import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tokenFilePath } from '../src/config/paths.js';
import { waitForText } from './support/dashboard-page.js';
import { launchTestBrowser } from './support/find-browser.js';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw } from './support/raw-requests.js';

const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const poolYaml = 'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [primary, second]\n';
const message = JSON.stringify({
  model: 'claude-sonnet-4-6',
  max_tokens: 32,
  messages: [{ role: 'user', content: 'Hi' }],
});

describe('the Buckets view acts on the pool', () => {
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
    await harness.writeProfile('pool', poolYaml);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  afterEach(async () => {
    await page?.close();
    await harness.close();
  });

  const orderOf = (page: Page) =>
    page.$$eval('[data-profile-order="pool"] li', (items) => items.map((item) => item.getAttribute('data-bucket')));

  it('reorders a profile with the keyboard, saves the file and routes by the new order', async () => {
    const { url } = await harness.startRouter({
      profile: 'pool',
      environment: { SWITCHYARD_ADMIN_KEY: 'order-admin-key' },
    });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${url}/dashboard#key=order-admin-key`);
    await page.click('#tab-buckets');
    await page.waitForSelector('[data-profile-order="pool"] li[data-bucket="anthropic/second"]');
    expect(await orderOf(page)).toEqual(['anthropic/primary', 'anthropic/second']);
    // Labelled, and the moves that cannot happen are disabled.
    expect(await page.isDisabled('button[aria-label="Move anthropic/primary up in pool"]')).toBe(true);
    expect(await page.isDisabled('button[aria-label="Move anthropic/second down in pool"]')).toBe(true);

    await page.focus('button[aria-label="Move anthropic/second up in pool"]');
    await page.keyboard.press('Enter');
    await waitForText(page, '#bucket-actions-status', (text) => text.startsWith('Saved'));
    expect(await page.textContent('#bucket-actions-status')).toBe('Saved pool: second \u2192 primary.');
    expect(await orderOf(page)).toEqual(['anthropic/second', 'anthropic/primary']);
    // The keyboard stays on the bucket that moved: at the top now, so on its other button.
    expect(await page.$eval(':focus', (node) => node.getAttribute('aria-label'))).toBe(
      'Move anthropic/second down in pool',
    );
    await page.screenshot({ path: `${artifacts}dashboard-bucket-order.png`, fullPage: true });

    expect(await readFile(join(harness.paths.profiles, 'pool.yaml'), 'utf8')).toBe(
      'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [second, primary]\n',
    );
    const answer = await postRaw(url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' });
    expect(answer.headers.get('x-switchyard-bucket')).toBe('anthropic/second');
    expect(problems).toEqual([]);
  });

  it('edits a model profile, showing the CLI message for a refused edit and changing nothing', async () => {
    const { url } = await harness.startRouter({ profile: 'pool' });
    const profileFile = () => readFile(join(harness.paths.profiles, 'pool.yaml'), 'utf8');
    await page.goto(`${url}/dashboard`);
    await page.click('#tab-buckets');
    await page.waitForSelector('#profile-edit:not([hidden]) #edit-profile option', {
      state: 'attached',
      timeout: 5_000,
    });
    expect(await page.inputValue('#edit-profile')).toBe('pool');
    expect(await page.inputValue('#edit-provider')).toBe('anthropic');
    expect(await page.inputValue('#edit-model')).toBe('claude-sonnet-4-6');
    expect(await page.inputValue('#edit-buckets')).toBe('primary, second');
    // Every control has a label.
    for (const id of ['edit-profile', 'edit-provider', 'edit-model', 'edit-buckets'])
      expect(await page.textContent(`label[for="${id}"]`)).not.toBe('');

    await page.fill('#edit-buckets', 'primary, ../escape');
    await page.focus('#edit-buckets');
    await page.keyboard.press('Enter');
    await waitForText(page, '#profile-edit-error', (text) => text !== '');
    expect(await page.textContent('#profile-edit-error')).toBe(
      'Invalid bucket name "../escape": use 1-64 characters from A-Z a-z 0-9 . _ @ + - (no slashes, no "..").',
    );
    expect(await profileFile()).toBe(poolYaml);

    await page.fill('#edit-buckets', 'primary, second');
    await page.fill('#edit-provider', 'acme');
    await page.click('#profile-edit button[type="submit"]');
    await waitForText(page, '#profile-edit-error', (text) => text.startsWith('Unknown provider'));
    expect(await page.textContent('#profile-edit-error')).toBe(
      'Unknown provider "acme". Expected one of: anthropic, openai, codex, gemini, qwen (or the aliases claude, chatgpt).',
    );
    await page.screenshot({ path: `${artifacts}dashboard-profile-edit-refused.png`, fullPage: true });
    expect(await profileFile()).toBe(poolYaml);

    await page.fill('#edit-provider', 'anthropic');
    await page.fill('#edit-model', 'claude-haiku-4-5');
    await page.fill('#edit-buckets', 'second');
    await page.click('#profile-edit button[type="submit"]');
    await waitForText(page, '#bucket-actions-status', (text) => text.startsWith('Saved'));
    expect(await page.textContent('#bucket-actions-status')).toBe('Saved pool: anthropic, second.');
    expect(await page.textContent('#profile-edit-error')).toBe('');
    expect(await profileFile()).toBe('type: model\nprovider: anthropic\nmodel: claude-haiku-4-5\nbuckets: [second]\n');
    await page.waitForSelector('[data-profile-order="pool"] li[data-bucket="anthropic/second"]:only-child');
    await page.screenshot({ path: `${artifacts}dashboard-profile-edit-saved.png`, fullPage: true });
    const answer = await postRaw(url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' });
    expect(answer.headers.get('x-switchyard-bucket')).toBe('anthropic/second');
  });

  it('adds an API-key bucket by the name of its variable, never the key, and the bucket serves', async () => {
    const account = harness.simulator.addAccount('anthropic-team');
    await harness.writeProfile(
      'keyed',
      'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [team]\n',
    );
    const { url } = await harness.startRouter({ profile: 'keyed', environment: { TEAM_KEY: account.apiKey } });
    const sent: string[] = [];
    page.on('request', (request) => sent.push(request.postData() ?? ''));
    await page.goto(`${url}/dashboard`);
    await page.click('#tab-buckets');
    await page.waitForSelector('#key-bucket');
    for (const id of ['key-provider', 'key-bucket-name', 'key-variable'])
      expect(await page.textContent(`label[for="${id}"]`)).not.toBe('');

    // A pasted key is not a variable name: refused with the CLI's message, nothing stored.
    await page.fill('#key-bucket-name', 'team');
    await page.fill('#key-variable', 'sk-ant-pasted key');
    await page.click('#key-bucket button[type="submit"]');
    await waitForText(page, '#key-bucket-error', (text) => text !== '');
    expect(await page.textContent('#key-bucket-error')).toBe(
      'Name the environment variable that holds the key: switchyard auth anthropic key team --env VAR',
    );
    await expect(readFile(tokenFilePath(harness.paths, 'anthropic', 'team'), 'utf8')).rejects.toThrow(/ENOENT/);

    await page.selectOption('#key-provider', 'anthropic');
    await page.fill('#key-variable', 'TEAM_KEY');
    await page.focus('#key-variable');
    await page.keyboard.press('Enter');
    await waitForText(page, '#bucket-actions-status', (text) => text.startsWith('Bucket'));
    expect(await page.textContent('#bucket-actions-status')).toBe(
      'Bucket anthropic/team reads its API key from $TEAM_KEY at run time; the key is never written to disk.',
    );
    expect(await page.textContent('#key-bucket-error')).toBe('');
    await page.waitForSelector('#bucket-table tr:has-text("anthropic/team")');
    await page.screenshot({ path: `${artifacts}dashboard-key-bucket.png`, fullPage: true });
    expect(JSON.parse(await readFile(tokenFilePath(harness.paths, 'anthropic', 'team'), 'utf8'))).toEqual({
      type: 'api_key',
      env: 'TEAM_KEY',
    });
    expect(sent.some((body) => body.includes(account.apiKey))).toBe(false);
    const served = await postRaw(url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' });
    expect(served.headers.get('x-switchyard-bucket')).toBe('anthropic/team');
  });
});
