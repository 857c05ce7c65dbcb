import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenFilePath } from '../src/config/paths.js';
import { createHarness, type Harness } from './support/harness.js';

const chromiumPath = '/usr/bin/chromium';

/**
 * A real browser against the real server: a page on another site tries to spend the accounts
 * with the requests a page may send without asking (text/plain bodies, forms), and a page whose
 * name is rebound to 127.0.0.1 tries to read and change the pool as if it were switchyard's own.
 * Chromium's resolver maps the attacker's names to 127.0.0.1, as a rebinding DNS server would.
 */
describe("a web page in the user's browser", () => {
  let browser: Browser;
  let harness: Harness;
  let attacker: Server;

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(
        `This test drives Debian's chromium at ${chromiumPath}: install it with \`apt-get install -y chromium\`.`,
      );
    }
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--host-resolver-rules=MAP attacker.test 127.0.0.1, MAP rebound.test 127.0.0.1',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    await new Promise((resolve) => attacker?.close(resolve));
    await harness?.close();
  });

  it('can neither spend the accounts from another site nor read or change the pool through a rebound name', async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'a');
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    await harness.writeProfile('other', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    const { url } = await harness.startRouter({ profile: 'pool' });
    const port = new URL(url).port;
    attacker = createServer((_incoming, outgoing) => {
      outgoing.writeHead(200, { 'content-type': 'text/html' });
      outgoing.end('<!doctype html><title>a page the user opened</title>');
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const attackerPort = (attacker.address() as AddressInfo).port;

    const page = await browser.newPage();
    try {
      // Another site: the requests a page may send without a preflight. Their answers are opaque
      // to it; what matters is that none reaches a provider.
      await page.goto(`http://attacker.test:${attackerPort}/`);
      const body = JSON.stringify({
        model: 'claude-sonnet-4-6',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'Hi' }],
      });
      await page.evaluate(
        async ({ target, body }) => {
          await fetch(`${target}/v1/messages`, {
            method: 'POST',
            mode: 'no-cors',
            headers: { 'content-type': 'text/plain' },
            body,
          });
          await fetch(`${target}/v1/messages`, { method: 'POST', mode: 'no-cors', body: new Blob([body]) });
          const form = new URLSearchParams({ [body]: '' });
          await fetch(`${target}/v1/messages`, { method: 'POST', mode: 'no-cors', body: form });
        },
        { target: url, body },
      );
      expect(harness.simulator.totalRequests()).toBe(0);

      // A rebound name: the page is same-origin with what it calls, so it could read the answers.
      const landing = await page.goto(`http://rebound.test:${port}/dashboard`);
      expect(landing?.status()).toBe(403);
      const tried = await page.evaluate(async () => {
        const status = await fetch('/auth/anthropic/status');
        const revoke = await fetch('/auth/anthropic/revoke?bucket=a', { method: 'DELETE' });
        const profile = await fetch('/profiles/active', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: '{"profile":"other"}',
        });
        return {
          status: status.status,
          revoke: revoke.status,
          profile: profile.status,
          message: ((await status.json()) as { error: { message: string } }).error.message,
        };
      });
      expect(tried).toEqual({
        status: 403,
        revoke: 403,
        profile: 403,
        message:
          `This switchyard does not answer to the host name "rebound.test:${port}": a web page could reach it under ` +
          'any name (DNS rebinding). Use 127.0.0.1 or localhost, or add the name to server.allowedHosts in config.yaml.',
      });
      expect(existsSync(tokenFilePath(harness.paths, 'anthropic', 'a'))).toBe(true);
      expect(harness.router().context.profiles.current).toBe('pool');
      expect(harness.simulator.totalRequests()).toBe(0);

      // switchyard's own page still works at its own address.
      const dashboard = await page.goto(`${url}/dashboard`);
      expect(dashboard?.status()).toBe(200);
      expect(await page.evaluate(async () => (await fetch('/dashboard/data')).status)).toBe(200);
    } finally {
      await page.close();
    }
  });
});
