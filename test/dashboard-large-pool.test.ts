import { rm } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tokenFilePath } from '../src/config/paths.js';
import { openWatchedPage, screenshot, waitForText } from './support/dashboard-page.js';
import { launchTestBrowser } from './support/find-browser.js';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw } from './support/raw-requests.js';

const adminKey = 'large-pool-admin-key';
const size = 2_000;
const names = Array.from({ length: size }, (_, index) => `k${String(index).padStart(4, '0')}`);
const keys = names.map((name) => `anthropic/${name}`);
const row = (view: string, key: string) => `${view} tr[data-bucket="${key}"]`;
const bucketRow = (key: string) => row('#bucket-table', key);
const overviewRow = (key: string) => row('section[data-profile="big"]', key);

/** Marks the node itself: a row drawn again is a new node without the mark. */
type Marked = { keptFromTest?: boolean };
/** The little of the page's DOM the row watcher uses (the tests are type-checked without the DOM library). */
type Row = { dataset: { bucket?: string } };
type Watched = {
  rowChanges: string[];
  MutationObserver: new (
    callback: (records: { addedNodes: Row[]; removedNodes: Row[] }[]) => void,
  ) => { observe(node: unknown, options: { childList: boolean }): void };
};

// A pool of thousands of buckets, polled each second: a poll draws again only the rows whose
// bucket changed, in place, and adds and removes rows in the pool's order; the others stay the
// same DOM nodes (and the keyboard stays where it was).
describe('the dashboard keeps a large pool in step without drawing every bucket again', () => {
  let browser: Browser;
  let harness: Harness;
  let page: Page;
  let problems: string[];
  let polls: number;

  beforeAll(async () => {
    browser = await launchTestBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    harness = await createHarness();
    // A hundred at a time: one by one, 2,000 private files take longer than the hook may.
    for (let start = 0; start < size; start += 100)
      await Promise.all(
        names.slice(start, start + 100).map((name) => harness.addBucket('anthropic', name, { apiKey: true })),
      );
    await harness.writeProfile(
      'big',
      `type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [${names.join(', ')}]\n`,
    );
    ({ page, problems } = await openWatchedPage(browser));
    polls = 0;
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/dashboard/data') polls += 1;
    });
  });

  afterEach(async () => {
    expect(problems).toEqual([]);
    await page?.close();
    await harness.close();
  });

  const mark = (selector: string) =>
    page.$eval(selector, (node) => {
      (node as unknown as Marked).keptFromTest = true;
    });
  const kept = (selector: string) => page.$eval(selector, (node) => (node as unknown as Marked).keptFromTest === true);
  /** What polls do to the rows of `body` from now on: "added KEY", "removed KEY" (a move is both). */
  const watchRows = (body: string) =>
    page.$eval(body, (node) => {
      const scope = globalThis as unknown as Watched;
      scope.rowChanges = [];
      new scope.MutationObserver((records) => {
        for (const record of records) {
          for (const row of record.removedNodes) scope.rowChanges.push(`removed ${row.dataset.bucket}`);
          for (const row of record.addedNodes) scope.rowChanges.push(`added ${row.dataset.bucket}`);
        }
      }).observe(node, { childList: true });
    });
  const rowChanges = () => page.evaluate(() => (globalThis as unknown as Watched).rowChanges);
  /** Waits for two more polls of the view: whatever they drew is on the page by then. */
  async function twoMorePolls(): Promise<void> {
    const after = polls + 2;
    await expect.poll(() => polls, { timeout: 10_000 }).toBeGreaterThanOrEqual(after);
  }
  const shownKeys = (selector: string) =>
    page.$$eval(selector, (rows) => rows.map((node) => node.getAttribute('data-bucket')));

  it('Buckets: a paused bucket is drawn again, the others stay the same nodes and keep the keyboard', {
    timeout: 120_000,
  }, async () => {
    const { url } = await harness.startRouter({ profile: 'big', environment: { SWITCHYARD_ADMIN_KEY: adminKey } });
    await page.goto(`${url}/dashboard#key=${adminKey}`);
    await page.click('#tab-buckets');
    await page.waitForSelector(bucketRow('anthropic/k1999'));
    expect(await shownKeys('#bucket-table tbody tr')).toEqual(keys);

    await mark(bucketRow('anthropic/k0001'));
    await mark(bucketRow('anthropic/k0002'));
    const pauseButton = `${bucketRow('anthropic/k0001')} button[aria-label="Pause anthropic/k0001"]`;
    await mark(pauseButton);
    await page.focus(pauseButton);
    await watchRows('#bucket-table tbody');

    const paused = await postRaw(url, '/buckets/anthropic/k0002/pause', '{}', { authorization: `Bearer ${adminKey}` });
    expect(paused.status).toBe(200);
    await waitForText(page, `${bucketRow('anthropic/k0002')} .state`, (text) => text === 'paused', 10_000);
    await twoMorePolls();
    // Only the paused bucket's row was drawn again, where it stood.
    expect(await kept(bucketRow('anthropic/k0001'))).toBe(true);
    expect(await kept(bucketRow('anthropic/k0002'))).toBe(false);
    expect(await rowChanges()).toEqual(['removed anthropic/k0002', 'added anthropic/k0002']);
    expect(await page.isVisible(`${bucketRow('anthropic/k0002')} button[aria-label="Resume anthropic/k0002"]`)).toBe(
      true,
    );
    expect(await page.$eval(':focus', (node) => (node as unknown as Marked).keptFromTest === true)).toBe(true);
    expect(await shownKeys('#bucket-table tbody tr')).toEqual(keys);
    await screenshot(page, 'dashboard-large-pool-paused', { fullPage: false });

    // A bucket outside the profile comes and goes: its row is added in the pool's order, then removed.
    await harness.addBucket('anthropic', 'k0001b', { apiKey: true });
    await page.waitForSelector(bucketRow('anthropic/k0001b'), { timeout: 10_000 });
    expect(await shownKeys('#bucket-table tbody tr')).toEqual([
      ...keys.slice(0, 2),
      'anthropic/k0001b',
      ...keys.slice(2),
    ]);
    await rm(tokenFilePath(harness.paths, 'anthropic', 'k0001b'));
    await page.waitForSelector(bucketRow('anthropic/k0001b'), { state: 'detached', timeout: 10_000 });
    expect(await shownKeys('#bucket-table tbody tr')).toEqual(keys);
    expect(await rowChanges()).toEqual([
      'removed anthropic/k0002',
      'added anthropic/k0002',
      'added anthropic/k0001b',
      'removed anthropic/k0001b',
    ]);
    expect(await kept(bucketRow('anthropic/k0001'))).toBe(true);
    expect(await kept(pauseButton)).toBe(true);
  });

  it('Overview: the bucket that served a request is drawn again with its count, the others stay the same nodes', {
    timeout: 120_000,
  }, async () => {
    const { url } = await harness.startRouter({ profile: 'big', environment: { SWITCHYARD_ADMIN_KEY: adminKey } });
    await page.goto(`${url}/dashboard#key=${adminKey}`);
    await page.waitForSelector(overviewRow('anthropic/k1999'));
    expect(await shownKeys('section[data-profile="big"] tbody tr')).toEqual(keys);
    await mark('section[data-profile="big"]');
    for (const key of ['anthropic/k0000', 'anthropic/k0001']) await mark(overviewRow(key));
    await watchRows('section[data-profile="big"] tbody');

    const served = await postRaw(
      url,
      '/v1/messages',
      JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 32, messages: [{ role: 'user', content: 'Hi' }] }),
      { 'anthropic-version': '2023-06-01' },
    );
    expect(served.headers.get('x-switchyard-bucket')).toBe('anthropic/k0000');
    await waitForText(page, `${overviewRow('anthropic/k0000')} .requests`, (text) => text === '1', 10_000);
    await twoMorePolls();
    expect(await kept('section[data-profile="big"]')).toBe(true);
    expect(await kept(overviewRow('anthropic/k0001'))).toBe(true);
    expect(await kept(overviewRow('anthropic/k0000'))).toBe(false);
    // Its "last used" may tick on ("0 s ago", "1 s ago"): drawn again then, and no other row.
    expect(new Set(await rowChanges())).toEqual(new Set(['removed anthropic/k0000', 'added anthropic/k0000']));
    expect(await shownKeys('section[data-profile="big"] tbody tr')).toEqual(keys);
    await screenshot(page, 'dashboard-large-pool-overview', { fullPage: false });
  });
});
