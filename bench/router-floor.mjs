// How close to the raw passthrough a model router can get on plain requests through the OAuth
// bucket (the OAuth figure's load): `node bench/router-floor.mjs [--rounds=7] [--seconds=3]`.
// Three contenders, alternated round by round at 32 connections: the raw passthrough, the floor
// proxy (bench/floor-proxy.mjs: only the parsing and forwarding any router must do, with
// switchyard's HTTP client) and switchyard. Prints each one's throughput and CPU per request
// against the passthrough: the floor's share is the cost of being a router at all, switchyard's
// beyond it is its own work (routing state, quota reading, counting, the request log).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alternate, describeRatios } from './alternate.mjs';
import { prepareBenchHome } from './bench-home.mjs';
import { startPassthroughProcess, startSimulatorProcess, startSwitchyardProcess } from './contenders.mjs';
import { cpuRatio, describeCpu, throughputWithCpu } from './cpu-cost.mjs';
import { warmUpInRuns } from './measure-throughput.mjs';
import { startProcess, stopAll } from './processes.mjs';
import { messagesAsOauthUpstream, messagesViaProfile } from './requests.mjs';

const option = (name, fallback) =>
  Number(process.argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const rounds = option('rounds', 7);
const seconds = option('seconds', 3);

const home = mkdtempSync(join(tmpdir(), 'switchyard-floor-'));
try {
  const simulator = await startSimulatorProcess();
  const { credentials, environment } = await prepareBenchHome(home, simulator.url, {
    stormRounds: 0,
    holdOpenMs: 1_000,
  });
  // The passthrough and the floor forward what switchyard sends upstream, identity block first.
  const token = credentials.oauth1.accessToken;
  const passthrough = await startPassthroughProcess(simulator.url);
  const floor = await startProcess([new URL('floor-proxy.mjs', import.meta.url).pathname, simulator.url], {
    pattern: /"url":"([^"]+)"/,
    label: 'floor proxy',
  });
  const router = await startSwitchyardProcess({ home, environment });
  const contenders = [
    { ...messagesAsOauthUpstream('passthrough', passthrough.url, token), pid: passthrough.pid },
    { ...messagesAsOauthUpstream('floor', floor.match[1], token), pid: floor.pid },
    { ...messagesViaProfile('switchyard', router.url, 'bench-oauth'), pid: router.pid },
  ];
  const costs = {};
  const { runs } = await alternate(contenders, rounds, throughputWithCpu(costs, { connections: 32, seconds }), {
    warmUp: (target) => warmUpInRuns(target, { connections: 32, seconds }),
  });
  for (const name of ['floor', 'switchyard']) {
    process.stdout.write(
      `${name} / passthrough: throughput ${describeRatios(runs, name, 'passthrough')}; ` +
        `CPU per request ${describeCpu(costs, 'passthrough', name)}\n`,
    );
  }
  process.stdout.write(
    `switchyard / floor, CPU per request: ${cpuRatio(costs, 'floor', 'switchyard').toFixed(2)} (median of rounds)\n`,
  );
} finally {
  await stopAll();
  rmSync(home, { recursive: true, force: true });
}
