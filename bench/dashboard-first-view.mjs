// The dashboard's first view, issue 21: how long a real Chromium takes from navigation to the
// Overview drawn (the pool table and the four uPlot charts), and how many bytes it loaded.
// `node bench/dashboard-first-view.mjs [RUNS]` (default 10) after `npm run build`; a figure to
// record in RESULTS.md with the machine's load, never a timed test.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { benchPlan, writeBenchHome } from './bench-home.mjs';
import { startSimulatorProcess, startSwitchyardProcess } from './contenders.mjs';
import { stopAll } from './processes.mjs';
import { describeMachine, loadAverage } from './report.mjs';
import { addAccount } from './simulator-control.mjs';
import { median, percentile } from './statistics.mjs';

const runs = Number(process.argv[2] ?? 10);
const log = (text) => process.stdout.write(`${text}\n`);

/**
 * The system's Chromium, else the one the browser tests unpack from @sparticuz/chromium
 * (test/support/find-browser.ts): run one dashboard test first to unpack it.
 */
function browserToLaunch() {
  for (const path of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'])
    if (existsSync(path)) return { executablePath: path, env: {} };
  const cache = join(tmpdir(), 'switchyard-test-browser');
  const versions = existsSync(cache) ? execFileSync('ls', [cache], { encoding: 'utf8' }).split('\n') : [];
  const folder = versions
    .filter(Boolean)
    .map((version) => join(cache, version))
    .find((path) => existsSync(join(path, 'chromium')));
  if (folder === undefined)
    throw new Error(
      'No Chromium: install one, or run `npx vitest run test/dashboard.test.ts` once to unpack the bundled one.',
    );
  return { executablePath: join(folder, 'chromium'), env: { LD_LIBRARY_PATH: join(folder, 'lib') } };
}

/** In the page: the Overview shows the pool's rows and every chart has drawn its canvas. */
function firstViewDrawn() {
  const page = globalThis.document;
  return (
    page.querySelector('section[data-profile] tr[data-bucket]') !== null &&
    page.querySelectorAll('#charts figure.chart canvas').length === 4
  );
}

async function main(home) {
  log(`dashboard first view, ${runs} cold loads (a fresh browser context each: nothing cached)`);
  log(`machine: ${describeMachine()}; load average before ${loadAverage()}`);
  const simulator = await startSimulatorProcess();
  const plan = benchPlan({ stormRounds: 1, holdOpenMs: 1_000 });
  const credentials = {};
  for (const account of plan.accounts) credentials[account.name] = await addAccount(simulator.url, account.name);
  // The pool a team keeps open: three of the benchmark's profiles and their five buckets, not its
  // 10,000-bucket chains (whose /dashboard/data alone is 300 KB: the page shows every bucket).
  const profiles = Object.fromEntries(
    ['bench', 'bench-chat', 'bench-stream'].map((name) => [name, plan.profiles[name]]),
  );
  const names = new Set(Object.values(profiles).flatMap((profile) => profile.buckets));
  const pool = { ...plan, profiles, buckets: plan.buckets.filter((bucket) => names.has(bucket.name)), cooling: [] };
  const environment = writeBenchHome(home, simulator.url, pool, credentials, Date.now());
  const router = await startSwitchyardProcess({ home, environment, profile: 'bench' });
  // Some traffic, so the charts have lines to draw.
  const message = { model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] };
  for (let index = 0; index < 50; index += 1)
    await (
      await fetch(`${router.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify(message),
      })
    ).arrayBuffer();

  const { executablePath, env } = browserToLaunch();
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    env: { ...process.env, LANG: 'en_US.UTF-8', LANGUAGE: 'en_US', ...env },
  });
  const times = [];
  const busy = [];
  let bytes = 0;
  try {
    for (let run = 0; run < runs; run += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const session = await context.newCDPSession(page);
      await session.send('Performance.enable');
      const bodies = new Map();
      page.on('response', async (response) => {
        const size = (await response.body().catch(() => Buffer.alloc(0))).byteLength;
        // A poll repeats a URL: the first answer of each is what the first view needed.
        if (!bodies.has(response.url())) bodies.set(response.url(), size);
      });
      await page.goto(`${router.url}/dashboard`);
      await page.waitForFunction(firstViewDrawn, undefined, { polling: 'raf', timeout: 30_000 });
      // The page's clock starts at navigation: this is navigation to first view drawn.
      times.push(await page.evaluate(() => performance.now()));
      // The renderer's main thread: time spent running tasks (script, style, layout, paint) so far,
      // which a busy machine stretches less than the wall time.
      const { metrics } = await session.send('Performance.getMetrics');
      busy.push(metrics.find((metric) => metric.name === 'TaskDuration').value * 1_000);
      bytes = Math.max(
        bytes,
        [...bodies.values()].reduce((sum, size) => sum + size, 0),
      );
      await context.close();
    }
  } finally {
    await browser.close();
    await router.stop();
    await simulator.stop();
  }
  log(`  ms from navigation to first view drawn: ${times.map((time) => time.toFixed(0)).join(', ')}`);
  log(`  median ${median(times).toFixed(0)} ms, p90 ${percentile(times, 0.9).toFixed(0)} ms (target: under 1,000 ms)`);
  log(`  main-thread task time to first view: median ${median(busy).toFixed(0)} ms`);
  log(
    `  bytes the first view loaded (largest run, bodies, each URL once): ${(bytes / 1024).toFixed(1)} KB ` +
      '(target: under 300 KB)',
  );
  log(`  load average after ${loadAverage()}`);
}

const home = mkdtempSync(join(tmpdir(), 'switchyard-dashboard-bench-'));
try {
  await main(home);
} finally {
  await stopAll();
  rmSync(home, { recursive: true, force: true });
}
