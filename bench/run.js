// switchyard's benchmark: `npm run bench` (full; rewrites bench/RESULTS.md) or
// `npm run bench -- --quick` (under two minutes). It starts everything itself on loopback,
// alternates the contenders, and prints every figure of issue 3 beside its target.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareBenchHome } from './bench-home.mjs';
import { startPassthroughProcess, startSimulatorProcess, startSwitchyardProcess } from './contenders.mjs';
import { failoverFigure } from './figures/failover.mjs';
import { latencyFigure } from './figures/latency.mjs';
import { longChainFigure } from './figures/long-chain.mjs';
import { leakFigure, openStreamsFigure } from './figures/memory.mjs';
import { oauthThroughputFigure } from './figures/oauth-throughput.mjs';
import { portkeyFigure } from './figures/portkey.mjs';
import { scaleFigure } from './figures/scale.mjs';
import { startupFigure } from './figures/startup.mjs';
import { streamingFigure } from './figures/streaming.mjs';
import { throughputFigure } from './figures/throughput.mjs';
import { translationFigure } from './figures/translation.mjs';
import { stopAll } from './processes.mjs';
import { describeMachine, formatRows, loadAverage, verdict, writeResults } from './report.mjs';
import { benchSettings } from './settings.mjs';
import { failed } from './targets.mjs';

const settings = benchSettings(process.argv.slice(2));
const benchDirectory = fileURLToPath(new URL('.', import.meta.url));
const log = (text) => process.stdout.write(`${text}\n`);

/** Runs one figure (unless `--only` names others); a failure becomes a failed row and the benchmark goes on. */
async function section(key, title, rows, measure) {
  if (settings.only && !settings.only.includes(key)) return;
  log(`\n${title}`);
  const startedAt = performance.now();
  try {
    for (const row of await measure()) {
      rows.push(row);
      log(`  ${row.figure}: ${row.value} (target ${row.target}) ${verdict(row)}${row.gap ? `, ${row.gap}` : ''}`);
    }
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    rows.push(failed(title, 'see issue 3', reason));
    log(`  FAILED: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  }
  log(`  (${((performance.now() - startedAt) / 1_000).toFixed(1)} s)`);
}

async function main(home) {
  const startedAt = performance.now();
  const machine = describeMachine();
  const loadBefore = loadAverage();
  log(`switchyard benchmark, ${settings.mode} mode`);
  log(`machine: ${machine}; load average ${loadBefore}`);
  if (Number(loadBefore.split(' / ')[0]) > 0.5) log('  (the machine is busy with other work: expect noisier figures)');

  const simulator = await startSimulatorProcess();
  const { credentials, environment } = await prepareBenchHome(home, simulator.url, {
    stormRounds: settings.rounds,
    holdOpenMs: settings.holdOpenMs,
  });
  const context = { settings, log, simulator, credentials, home, environment, figures: {}, info: [] };
  const rows = [];

  await section('startup', '7. Start-up (measured first, while nothing else runs)', rows, () => startupFigure(context));
  // Memory next, while the home is as written: the figures after them leave state behind (the
  // long chain's 10,000 needs-login marks, statistics and series of every bucket), which a fresh
  // server loads and re-checks at start; that is measured by the figures that made it, not here.
  await section('memory', '6. Memory (each in a fresh switchyard process)', rows, () => openStreamsFigure(context));
  await section('leak', '6. Memory over many requests', rows, () => leakFigure(context));
  context.passthrough = await startPassthroughProcess(simulator.url);
  context.router = await startSwitchyardProcess({ home, environment, profile: 'bench' });
  await section('throughput', '1. Non-streaming throughput at 32 connections', rows, () => throughputFigure(context));
  await section('oauth', '1. Non-streaming throughput through an Anthropic OAuth bucket', rows, () =>
    oauthThroughputFigure(context),
  );
  await section('portkey', '1. Against the Portkey gateway', rows, () => portkeyFigure(context));
  await section('latency', '2. Added latency at one connection', rows, () => latencyFigure(context));
  await section('streaming', '3. Streaming', rows, () => streamingFigure(context));
  await section('failover', '4. Failover', rows, () => failoverFigure(context));
  await section('scale', '5. Scale in buckets', rows, () => scaleFigure(context));
  await section('long-chain', '9. A long chain (issue 18)', rows, () => longChainFigure(context));
  await section('translation', '8. Translated requests (issue 5)', rows, () => translationFigure(context));
  await context.router.stop();
  await context.passthrough.stop();

  const loadAfter = loadAverage();
  const durationSeconds = (performance.now() - startedAt) / 1_000;
  const notes = [...context.info];
  if (settings.mode === 'quick') {
    const [small, large] = settings.leakRequests;
    notes.push(
      `Quick mode: shorter runs (${settings.seconds} s, ${settings.rounds} ` +
        `rounds), and RSS compared after ${small.toLocaleString('en')} and ${large.toLocaleString('en')} ` +
        `requests instead of 20,000 and 200,000.`,
    );
  }
  log(`\n${formatRows(rows)}\n`);
  for (const note of notes) log(`- ${note}`);
  log(
    `\n${rows.filter((row) => row.met === true).length} of ${rows.length} ` +
      `targets met; ${durationSeconds.toFixed(0)} s; load average after ${loadAfter}`,
  );

  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  // Only a whole full run replaces bench/RESULTS.md; quick and partial runs go to the ignored bench/.results/.
  const partial = settings.mode === 'quick' || settings.only !== undefined;
  const resultsPath = partial
    ? join(benchDirectory, '.results', `RESULTS-${settings.mode}${settings.only ? '-partial' : ''}.md`)
    : join(benchDirectory, 'RESULTS.md');
  mkdirSync(join(benchDirectory, '.results'), { recursive: true });
  writeResults(resultsPath, {
    rows,
    command,
    mode: settings.mode,
    machine,
    loadBefore,
    loadAfter,
    durationSeconds,
    notes,
  });
  log(`written to ${resultsPath}`);
}

const home = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
try {
  await main(home);
} finally {
  await stopAll();
  rmSync(home, { recursive: true, force: true });
}
