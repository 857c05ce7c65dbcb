// A browser started under LANG=C.UTF-8 (a container, a CI runner, a minimal desktop session)
// reports its language as "en-US@posix", which Intl refuses with a RangeError: the chart library
// (`new Intl.NumberFormat(navigator.language)` when it loads) and the page's own dates and numbers
// then broke. The page must draw everything there too.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchTestBrowser } from './support/find-browser.js';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw } from './support/raw-requests.js';

const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const message = JSON.stringify({
  model: 'claude-sonnet-4-6',
  max_tokens: 16,
  messages: [{ role: 'user', content: 'hello' }],
});

describe('the dashboard in a browser whose locale is POSIX', () => {
  let browser: Browser;
  let harness: Harness;

  beforeAll(async () => {
    browser = await launchTestBrowser({ environment: { LANG: 'C.UTF-8', LANGUAGE: '', LC_ALL: '' } });
    await mkdir(artifacts, { recursive: true });
    harness = await createHarness();
    await harness.addBucket('anthropic', 'primary');
    await harness.writeProfile(
      'pool',
      'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [primary]\n',
    );
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('draws the charts, the request log and the usage with the language Intl accepts', async () => {
    const { url } = await harness.startRouter({ profile: 'pool' });
    await postRaw(url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (entry) => {
      if (entry.type() === 'error') problems.push(entry.text());
    });
    try {
      await page.goto(`${url}/dashboard`);
      // The condition under test: without it this test would prove nothing.
      const reported = await page.evaluate(() => {
        const scope = globalThis as unknown as { Navigator: { prototype: object }; navigator: object };
        const original = Object.getOwnPropertyDescriptor(scope.Navigator.prototype, 'language')?.get;
        return original?.call(scope.navigator) as string;
      });
      expect(reported).toBe('en-US@posix');

      await page.waitForSelector('#charts figure[data-measure="requests"] canvas');
      await page.waitForFunction(() => {
        const scope = globalThis as unknown as {
          document: { getElementById(id: string): { textContent: string | null } | null };
        };
        return /updated \d/.test(scope.document.getElementById('summary')?.textContent ?? '');
      });
      await page.click('#tab-requests');
      await page.waitForSelector('#request-log table tbody tr');
      expect(await page.textContent('#request-log table tbody tr')).toMatch(/\d{1,2}:\d{2}:\d{2}/);
      await page.click('#tab-usage');
      await page.waitForSelector('#usage table');
      expect(await page.textContent('#usage')).toMatch(/Since \d/);
      await page.screenshot({ path: `${artifacts}dashboard-posix-locale.png`, fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
