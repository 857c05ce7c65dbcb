// Is RSS growth under load a leak, or garbage V8 has not collected yet? `node bench/retained-heap.mjs`
// runs the leak figure's load (32 connections, steps of 20,000 requests) against a `switchyard
// serve` started with V8 flags the `switchyard` command never gets: `--trace-gc`, and a small
// old generation (`--max-old-space-size=40`) so that major collections happen every few
// thousand requests instead of once in hundreds of thousands. The heap that survives each major
// collection is what switchyard really keeps; a leak would make it grow from step to step.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareBenchHome } from './bench-home.mjs';
import { startSimulatorProcess, switchyardCommand } from './contenders.mjs';
import { measureThroughput } from './measure-throughput.mjs';
import { residentMegabytes, startProcess, stopAll } from './processes.mjs';
import { messagesViaProfile } from './requests.mjs';
import { median } from './statistics.mjs';

const steps = Number(process.argv.find((argument) => argument.startsWith('--steps='))?.slice('--steps='.length) ?? 15);
const stepRequests = 20_000;
const home = mkdtempSync(join(tmpdir(), 'switchyard-retained-'));
try {
  const simulator = await startSimulatorProcess();
  const { environment } = await prepareBenchHome(home, simulator.url, { stormRounds: 1, holdOpenMs: 1_000 });
  const { args, env } = switchyardCommand({ home, environment, profile: 'bench' });
  const server = await startProcess(['--trace-gc', '--max-old-space-size=40', ...args], {
    env,
    pattern: /listening on (http:\/\/\S+)/,
    label: 'switchyard serve',
  });
  // --trace-gc prints one line per collection: "Mark-Compact 15.4 (49.9) -> 13.8 (49.9) MB".
  let survivors = [];
  server.child.stdout.on('data', (chunk) => {
    for (const match of chunk.toString().matchAll(/Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \(/g))
      survivors.push(Number(match[1]));
  });
  const target = messagesViaProfile('switchyard', server.match[1], 'bench');
  console.log(
    `switchyard serve with --max-old-space-size=40; ${steps} steps of ${stepRequests.toLocaleString('en')} ` +
      `requests at 32 connections`,
  );
  console.log('requests  RSS MB  major GCs  heap after them, MB (median)');
  for (let step = 1; step <= steps; step += 1) {
    survivors = [];
    await measureThroughput(target, { connections: 32, amount: stepRequests });
    const kept = survivors.length === 0 ? 'none' : median(survivors).toFixed(1);
    console.log(
      `${String(step * stepRequests).padStart(8)}  ${residentMegabytes(server.pid).toFixed(0).padStart(6)} ` +
        ` ${String(survivors.length).padStart(9)}  ${kept}`,
    );
  }
} finally {
  await stopAll();
  rmSync(home, { recursive: true, force: true });
}
