// What a node start flag costs switchyard: `serve` as it is against `serve` started with
// NODE_OPTIONS, alternated, throughput and CPU per request at 32 connections.
// `npm run build && node bench/node-options-cost.mjs "--max-semi-space-size=4" [plain|stream] [rounds]`
// (used for the young-generation cap in RESULTS.md's "Issue 22: memory").
// `--bin=PATH` in place of the options compares another build instead (its bin/switchyard.js, built in a
// worktree of its own): `node bench/node-options-cost.mjs --bin=../before/bin/switchyard.js plain 9`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alternate, describeRatios } from './alternate.mjs';
import { prepareBenchHome } from './bench-home.mjs';
import { startSimulatorProcess, startSwitchyardProcess } from './contenders.mjs';
import { describeCpu, throughputWithCpu } from './cpu-cost.mjs';
import { measureThroughput } from './measure-throughput.mjs';
import { stopAll } from './processes.mjs';
import { bodies, messagesViaProfile } from './requests.mjs';

const [nodeOptions, kind = 'plain', roundsText = '7'] = process.argv.slice(2);
if (!nodeOptions) {
  process.stderr.write('usage: node bench/node-options-cost.mjs "<NODE_OPTIONS>" [plain|stream] [rounds]\n');
  process.exit(2);
}
const otherBin = nodeOptions.startsWith('--bin=') ? nodeOptions.slice('--bin='.length) : undefined;
const home = mkdtempSync(join(tmpdir(), 'switchyard-node-options-'));
try {
  const simulator = await startSimulatorProcess();
  const { environment } = await prepareBenchHome(home, simulator.url, { stormRounds: 0, holdOpenMs: 1_000 });
  const plainServer = await startSwitchyardProcess({ home, environment, profile: 'bench' });
  // A server file of its own: two servers on one home are refused otherwise.
  const flagged = await startSwitchyardProcess({
    home,
    environment: {
      ...environment,
      SWITCHYARD_SERVER_FILE: join(home, 'server-flagged.json'),
      ...(otherBin === undefined ? { NODE_OPTIONS: nodeOptions } : {}),
    },
    profile: 'bench',
    ...(otherBin === undefined ? {} : { bin: otherBin }),
  });
  const body = kind === 'stream' ? bodies.messagesStream : bodies.messages;
  const costs = {};
  const { runs } = await alternate(
    [
      { ...messagesViaProfile('default', plainServer.url, 'bench', body), pid: plainServer.pid },
      { ...messagesViaProfile('flagged', flagged.url, 'bench', body), pid: flagged.pid },
    ],
    Number(roundsText),
    throughputWithCpu(costs, { connections: 32, seconds: 3 }),
    { warmUp: (target) => measureThroughput(target, { connections: 32, seconds: 3 }) },
  );
  process.stdout.write(
    `${otherBin === undefined ? `NODE_OPTIONS=${nodeOptions}` : `build ${otherBin}`}, ${kind} requests\n`,
  );
  process.stdout.write(
    `requests/s, flagged / default, each round and the median: ${describeRatios(runs, 'flagged', 'default')}\n`,
  );
  process.stdout.write(`CPU per request: ${describeCpu(costs, 'default', 'flagged')}\n`);
} finally {
  await stopAll();
  rmSync(home, { recursive: true, force: true });
}
