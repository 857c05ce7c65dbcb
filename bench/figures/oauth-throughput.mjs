// Figure 1, OAuth: non-streaming throughput at 32 connections through an Anthropic OAuth bucket,
// from a client that sends no Claude Code system prompt (any SDK), so switchyard puts the identity
// block in every request. The raw passthrough forwards a request that carries it already: both
// send the simulator the same bytes, and the simulator checks both (it refuses a subscription token
// without the identity).
import { alternate, describeRatios, pairedRatio } from '../alternate.mjs';
import { describeCpu, throughputWithCpu } from '../cpu-cost.mjs';
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
  const costs = {};
  const { medians, runs } = await alternate(
    contenders,
    settings.rounds,
    throughputWithCpu(costs, { connections: 32, seconds: settings.seconds }),
    { warmUp: (target) => warmUpInRuns(target, { connections: 32, seconds: settings.firstWarmUpSeconds }) },
  );
  log(`  requests/s (median of ${settings.rounds} alternated runs): ${describeRuns(medians, runs)}`);
  log(
    `  each round's switchyard / passthrough, and their median: ${describeRatios(runs, 'switchyard', 'passthrough')}`,
  );
  const cost = describeCpu(costs, 'passthrough', 'switchyard');
  log(`  CPU per request of each proxy (user + system, median of the rounds): ${cost}`);
  context.info.push(`CPU per request through the OAuth bucket at 32 connections, user + system: ${cost}.`);
  return [
    atLeast(
      'throughput through an Anthropic OAuth bucket, client sends no system prompt / raw passthrough',
      pairedRatio(runs, 'switchyard', 'passthrough'),
      0.9,
    ),
  ];
}
