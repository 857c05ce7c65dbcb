import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';

/** Where the browser tests leave their screenshots (git-ignored). */
export const screenshotFolder = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/**
 * Saves a screenshot under test-artifacts/ and prints where, so a person can look at it: the whole
 * page, or only the window (`fullPage: false`) where the page is thousands of rows long.
 */
export async function screenshot(page: Page, name: string, options = { fullPage: true }): Promise<string> {
  await mkdir(screenshotFolder, { recursive: true });
  const path = `${screenshotFolder}${name}.png`;
  await page.screenshot({ path, fullPage: options.fullPage });
  console.info(`screenshot: ${path}`);
  return path;
}

/** Polls an element's text until `accept` takes it; fails after `timeout` ms with the last text seen. */
export async function waitForText(
  page: Page,
  selector: string,
  accept: (text: string) => boolean,
  timeout = 5_000,
): Promise<string> {
  const deadline = Date.now() + timeout;
  let text = '';
  for (;;) {
    text = (await page.textContent(selector, { timeout })) ?? '';
    // A status ending in an ellipsis ("Resetting anthropic/primary…") is the page still waiting
    // for the server: never the answer a test waits for, even when its first word matches.
    if (!text.endsWith('\u2026') && accept(text)) return text;
    if (Date.now() > deadline) throw new Error(`${selector} still shows "${text}" after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A page under test and the script errors it threw (a test ends by requiring there were none). */
export interface WatchedPage {
  page: Page;
  problems: string[];
}

/** A new page of the dashboard tests' size in `browser`, its uncaught script errors kept in `problems`. */
export async function openWatchedPage(browser: Browser): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  return { page, problems };
}
