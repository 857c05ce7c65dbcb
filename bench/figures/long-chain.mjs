// Figure 9: a long chain. 10,000 buckets of which the first 9,999 have no login (issue 18: such a
// chain of 20,000 pinned the CPU for minutes) against a chain of its one ready bucket alone. The
// buckets without a login are re-checked every few seconds (a credential look-up, no upstream
// call), so the measurement includes those walks down the whole chain.
import { request } from 'node:http';
import { alternate, describeRatios, pairedRatio } from '../alternate.mjs';
import { describeCpu, throughputWithCpu } from '../cpu-cost.mjs';
import { measureThroughput } from '../measure-throughput.mjs';
import { messagesViaProfile } from '../requests.mjs';
import { atLeast } from '../targets.mjs';
import { describeRuns } from './throughput.mjs';

const figure = 'long chain: 10,000 buckets (9,999 needing login) / one bucket';

/** One request, its status; read with a raised header limit (its x-switchyard-attempts names every bucket). */
function postOnce(target) {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      target.url + target.path,
      {
        method: 'POST',
        maxHeaderSize: 16 * 1024 * 1024,
        headers: { 'content-type': 'application/json', ...target.headers },
      },
      (answer) => {
        answer.resume();
        answer.on('end', () => resolve(answer.statusCode));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(target.body);
  });
}

export async function longChainFigure(context) {
  const { settings, log, router } = context;
  // The first walk reads 9,999 token files that are not there; the figure is about the walks after.
  const long = messagesViaProfile('long', router.url, 'bench-long-chain');
  const first = performance.now();
  const status = await postOnce(long);
  if (status !== 200) throw new Error(`the long chain answered ${status}, not 200`);
  log(`  first request down the chain (cold: no credential read yet): ${(performance.now() - first).toFixed(0)} ms`);
  const costs = {};
  const { medians, runs } = await alternate(
    [
      { ...messagesViaProfile('one', router.url, 'bench-one'), pid: router.pid },
      { ...long, pid: router.pid },
    ],
    settings.rounds,
    throughputWithCpu(costs, { connections: 32, seconds: settings.seconds }),
    { warmUp: (target) => measureThroughput(target, { connections: 32, seconds: settings.warmUpSeconds }) },
  );
  log(`  requests/s: ${describeRuns(medians, runs)}`);
  log(`  each round's long / one, and their median: ${describeRatios(runs, 'long', 'one')}`);
  // Throughput swings with what else the two cores run; switchyard's own CPU per request does less.
  const cost = describeCpu(costs, 'one', 'long');
  log(`  switchyard CPU per request, user + system: ${cost}`);
  context.info.push(`Long chain, switchyard CPU per request (user + system, medians): ${cost}.`);
  return [atLeast(figure, pairedRatio(runs, 'long', 'one'), 0.9)];
}
