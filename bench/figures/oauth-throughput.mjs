// Figure 1, OAuth: non-streaming throughput at 32 connections through an Anthropic OAuth bucket,
// from a client that sends no Claude Code system prompt (any SDK), so switchyard puts the identity
// block in every request. The raw passthrough forwards a request that carries it already: both
// send the simulator the same bytes, and the simulator checks both (it refuses a subscription token
// without the identity). The floor proxy (bench/floor-proxy.mjs: read, parse, forward with undici,
// parse the answer, nothing else) runs beside them for reference: what of the gap is being a router.
import { alternate, describeRatios, pairedRatio } from '../alternate.mjs';
import { startFloorProcess } from '../contenders.mjs';
import { cpuRatio, describeCpu, throughputWithCpu } from '../cpu-cost.mjs';
import { warmUpInRuns } from '../measure-throughput.mjs';
import { messagesAsOauthUpstream, messagesViaProfile } from '../requests.mjs';
import { atLeast } from '../targets.mjs';
import { describeRuns } from './throughput.mjs';

export async function oauthThroughputFigure(context) {
  const { settings, log, passthrough, router, credentials } = context;
  const contenders = [
    {
      ...messagesAsOauthUpstream('passthrough', passthrough.url, credentials.oauth1.accessToken),
      pid: passthrough.pid,
    },
    { ...messagesViaProfile('switchyard', router.url, 'bench-oauth'), pid: router.pid },
  ];
  const floor = await startFloorProcess(context.simulator.url);
  contenders.push({
    ...messagesAsOauthUpstream('floor', floor.url, credentials.oauth1.accessToken),
    pid: floor.pid,
  });
  const costs = {};
  const { medians, runs } = await alternate(
    contenders,
    settings.rounds,
    throughputWithCpu(costs, { connections: 32, seconds: settings.seconds }),
    { warmUp: (target) => warmUpInRuns(target, { connections: 32, seconds: settings.firstWarmUpSeconds }) },
  ).finally(() => floor.stop());
  log(`  requests/s (median of ${settings.rounds} alternated runs): ${describeRuns(medians, runs)}`);
  log(
    `  each round's switchyard / passthrough, and their median: ${describeRatios(runs, 'switchyard', 'passthrough')}`,
  );
  const cost = describeCpu(costs, 'passthrough', 'switchyard');
  log(`  CPU per request of each proxy (user + system, median of the rounds): ${cost}`);
  context.info.push(`CPU per request through the OAuth bucket at 32 connections, user + system: ${cost}.`);
  const floorThroughput = describeRatios(runs, 'floor', 'passthrough');
  const overFloor = cpuRatio(costs, 'floor', 'switchyard').toFixed(2);
  log(`  for reference, the floor proxy / passthrough: ${floorThroughput}; switchyard / floor, CPU: ${overFloor}`);
  context.info.push(
    `For reference, through the OAuth figure's load the floor proxy (bench/floor-proxy.mjs: read, parse, forward ` +
      `with undici, parse the answer, nothing else) / raw passthrough: ${floorThroughput.split(' ')[0]}; ` +
      `switchyard's CPU per request / the floor's: ${overFloor}.`,
  );
  return [
    atLeast(
      'throughput through an Anthropic OAuth bucket, client sends no system prompt / raw passthrough',
      pairedRatio(runs, 'switchyard', 'passthrough'),
      0.9,
    ),
  ];
}
