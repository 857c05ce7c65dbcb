// Start-up of two builds side by side: spawn to first /health answer, as the start-up figure
// times it, eleven starts of each alternated on one bench home, so a slow phase of the machine
// lands on both. `node bench/startup-pair.mjs ../base/bin/switchyard.js bin/switchyard.js` (both
// checkouts built; the first start of each, which may write the code cache, is not counted).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { benchPlan, writeBenchHome } from './bench-home.mjs';
import { startSimulatorProcess } from './contenders.mjs';
import { freePort } from './free-port.mjs';
import { startProcess, stopAll } from './processes.mjs';
import { addAccount, setBehavior } from './simulator-control.mjs';
import { median } from './statistics.mjs';

const simulator = await startSimulatorProcess();
const plan = benchPlan({ stormRounds: 7, holdOpenMs: 60000 });
const credentials = {};
for (const a of plan.accounts) {
  credentials[a.name] = await addAccount(
    simulator.url,
    a.name,
    a.expiresInSeconds === undefined ? {} : { expiresInSeconds: a.expiresInSeconds },
  );
  if (a.behavior) await setBehavior(simulator.url, a.name, a.behavior);
}
const home = mkdtempSync(join(tmpdir(), 'sp-'));
const environment = writeBenchHome(home, simulator.url, plan, credentials, Date.now());
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function healthy(url) {
  try {
    const a = await request(`${url}/health`, { reset: true });
    const b = await a.body.json();
    return a.statusCode === 200 && b.status === 'ok';
  } catch {
    return false;
  }
}
async function once(bin) {
  const port = await freePort();
  const t0 = performance.now();
  const starting = startProcess([bin, 'serve', '--port', String(port), '--profile', 'bench', '--log-level', 'warn'], {
    env: { SWITCHYARD_HOME: home, ...environment },
    pattern: /listening on/,
    label: 'serve',
    timeoutMs: 10000,
  });
  while (!(await healthy(`http://127.0.0.1:${port}`))) await sleep(2);
  const t = performance.now() - t0;
  await (await starting).stop();
  return t;
}
const [baseBin, changedBin] = process.argv.slice(2);
if (!baseBin || !changedBin) {
  process.stderr.write(
    'usage: node bench/startup-pair.mjs <base checkout>/bin/switchyard.js <changed checkout>/bin/switchyard.js\n',
  );
  process.exit(2);
}
const bins = { base: baseBin, changed: changedBin };
for (const b of Object.values(bins)) await once(b);
const times = { base: [], changed: [] };
for (let i = 0; i < 11; i++)
  for (const name of i % 2 ? ['changed', 'base'] : ['base', 'changed']) times[name].push(await once(bins[name]));
for (const [n, t] of Object.entries(times)) console.log(n, median(t).toFixed(0), t.map((x) => x.toFixed(0)).join(' '));
await stopAll();
