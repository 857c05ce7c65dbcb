// Figure 5: scale in buckets. A chain of 1,000 buckets of which the first 999 are cooling
// (remembered from stats.json) against a chain of its one ready bucket alone.
import { alternate, describeRatios, pairedRatio } from '../alternate.mjs';
import { coolingAccount } from '../bench-home.mjs';
import { measureThroughput } from '../measure-throughput.mjs';
import { messagesViaProfile } from '../requests.mjs';
import { allCounts } from '../simulator-control.mjs';
import { atLeast, failed } from '../targets.mjs';
import { describeRuns } from './throughput.mjs';

const figure = 'scale: 1,000 buckets (999 cooling) / one bucket';

export async function scaleFigure(context) {
  const { settings, log, simulator, router } = context;
  const before = (await allCounts(simulator.url))[coolingAccount]?.requests ?? 0;
  const { medians, runs } = await alternate(
    [messagesViaProfile('one', router.url, 'bench-one'), messagesViaProfile('thousand', router.url, 'bench-scale')],
    settings.rounds,
    async (target) => (await measureThroughput(target, { connections: 32, seconds: settings.seconds })).perSecond,
    { warmUp: (target) => measureThroughput(target, { connections: 32, seconds: settings.warmUpSeconds }) },
  );
  log(`  requests/s: ${describeRuns(medians, runs)}`);
  // The figure only means something if the cooling buckets really were skipped.
  const coolingCalls = ((await allCounts(simulator.url))[coolingAccount]?.requests ?? 0) - before;
  if (coolingCalls > 0)
    return [failed(figure, '>= 0.9', `${coolingCalls} calls reached buckets that should be cooling`)];
  log(`  each round's thousand / one, and their median: ${describeRatios(runs, 'thousand', 'one')}`);
  return [atLeast(figure, pairedRatio(runs, 'thousand', 'one'), 0.9)];
}
