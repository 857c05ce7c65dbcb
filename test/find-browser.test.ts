import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser, launchTestBrowser } from './support/find-browser.js';
import { createHarness, type Harness } from './support/harness.js';

/**
 * README's `npm ci && npm test` runs the browser tests on a machine without Chromium: with no
 * system browser to find, the finder unpacks the one @sparticuz/chromium brought with `npm ci`,
 * and that browser, its own libraries beside it, renders the dashboard.
 */
describe('the browser tests on a machine without Chromium', () => {
  let cacheFolder: string;
  let harness: Harness;
  let browser: Browser | undefined;

  beforeAll(async () => {
    cacheFolder = await mkdtemp(join(tmpdir(), 'switchyard-browser-cache-'));
    harness = await createHarness();
  });

  afterAll(async () => {
    await browser?.close();
    await harness.close();
    await rm(cacheFolder, { recursive: true, force: true });
  });

  it('prefers the system browser when there is one', async () => {
    const found = await findBrowser({ systemPaths: [process.execPath], cacheFolder });
    expect(found).toEqual({ executablePath: process.execPath, source: 'system', environment: {} });
  });

  it('unpacks the Chromium that npm ci brought and renders the dashboard with it', async () => {
    const found = await findBrowser({ systemPaths: ['/nonexistent/chromium'], cacheFolder });
    expect(found.source).toBe('bundled');
    expect(found.executablePath.startsWith(cacheFolder)).toBe(true);
    expect(found.environment.LD_LIBRARY_PATH).toBe(join(found.executablePath, '..', 'lib'));
    // A second look reuses what the first unpacked.
    expect(await findBrowser({ systemPaths: [], cacheFolder })).toEqual(found);

    browser = await launchTestBrowser({ browser: found });
    const { url } = await harness.startRouter();
    const page = await browser.newPage();
    const served = await page.goto(`${url}/dashboard`);
    expect(served?.status()).toBe(200);
    await page.waitForSelector('h1');
    expect(await page.textContent('h1')).toContain('switchyard');
  });
});
