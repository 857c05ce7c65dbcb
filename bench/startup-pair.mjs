// Start-up of two builds side by side: spawn to first /health answer, timed as the start-up figure
// times it, eleven starts of each alternated on one bench home, so that a slow phase of the
// machine lands on both. `node bench/startup-pair.mjs ../base/bin/switchyard.js bin/switchyard.js`
// (both checkouts built; the first start of each, which may write its code cache, is not counted).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareBenchHome } from './bench-home.mjs';
import { startSimulatorProcess } from './contenders.mjs';
import { timeOneStart } from './figures/startup.mjs';
import { stopAll } from './processes.mjs';
import { median } from './statistics.mjs';

const starts = 11;
const [baseBin, changedBin] = process.argv.slice(2);
if (!baseBin || !changedBin) {
  process.stderr.write('usage: node bench/startup-pair.mjs <base>/bin/switchyard.js <changed>/bin/switchyard.js\n');
  process.exit(2);
}
const home = mkdtempSync(join(tmpdir(), 'switchyard-startup-pair-'));
try {
  const simulator = await startSimulatorProcess();
  const { environment } = await prepareBenchHome(home, simulator.url, { stormRounds: 7, holdOpenMs: 1_000 });
  const context = { home, environment };
  const builds = { base: baseBin, changed: changedBin };
  for (const bin of Object.values(builds)) await timeOneStart(context, bin);
  const times = { base: [], changed: [] };
  for (let start = 0; start < starts; start += 1) {
    for (const name of start % 2 === 0 ? ['base', 'changed'] : ['changed', 'base'])
      times[name].push(await timeOneStart(context, builds[name]));
  }
  for (const [name, values] of Object.entries(times)) {
    const each = values.map((value) => value.toFixed(0)).join(', ');
    process.stdout.write(`${name}: median ${median(values).toFixed(0)} ms (${each})\n`);
  }
} finally {
  await stopAll();
  rmSync(home, { recursive: true, force: true });
}
