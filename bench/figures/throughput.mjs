// Figure 1: non-streaming throughput at 32 connections, switchyard against the raw passthrough
// (and the simulator answered directly, for scale).
import { alternate, describeRatios, pairedRatio } from '../alternate.mjs';
import { describeCpu, throughputWithCpu } from '../cpu-cost.mjs';
import { warmUpInRuns } from '../measure-throughput.mjs';
import { messagesViaProfile, messagesWithKey } from '../requests.mjs';
import { atLeast } from '../targets.mjs';

export async function throughputFigure(context) {
  const { settings, log, simulator, passthrough, router, credentials } = context;
  const contenders = [
    { ...messagesWithKey('direct', simulator.url, credentials.b1.apiKey), pid: simulator.pid },
    { ...messagesWithKey('passthrough', passthrough.url, credentials.b1.apiKey), pid: passthrough.pid },
    { ...messagesViaProfile('switchyard', router.url, 'bench'), pid: router.pid },
  ];
  const costs = {};
  const { medians, runs } = await alternate(
    contenders,
    settings.rounds,
    throughputWithCpu(costs, { connections: 32, seconds: settings.seconds }),
    {
      warmUp: (target) => warmUpInRuns(target, { connections: 32, seconds: settings.firstWarmUpSeconds }),
    },
  );
  log(`  requests/s (median of ${settings.rounds} alternated runs): ${describeRuns(medians, runs)}`);
  context.figures.plainThroughput = medians;
  log(
    `  each round's switchyard / passthrough, and their median: ${describeRatios(runs, 'switchyard', 'passthrough')}`,
  );
  const cost = describeCpu(costs, 'passthrough', 'switchyard');
  log(`  CPU per request of each proxy (user + system, median of the rounds): ${cost}`);
  context.info.push(`CPU per request at 32 connections, user + system, median of the throughput rounds: ${cost}.`);
  return [
    atLeast(
      'throughput at 32 connections: switchyard / passthrough',
      pairedRatio(runs, 'switchyard', 'passthrough'),
      0.8,
    ),
  ];
}

/** `name median [run, run, ...]` for each contender, for the log. */
export function describeRuns(medians, runs) {
  return Object.entries(medians)
    .map(([name, value]) => `${name} ${value.toFixed(0)} [${runs[name].map((run) => run.toFixed(0)).join(', ')}]`)
    .join('; ');
}
