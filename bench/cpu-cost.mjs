// CPU per request of the measured processes, beside their throughput: what each contender costs
// in work, apart from how the two cores were shared between it, the simulator and the load
// generator. It still moves with the VM's speed (the same proxy can cost twice as much in a slow
// phase), so it too is compared round by round.
import { measureThroughput } from './measure-throughput.mjs';
import { cpuMicroseconds } from './processes.mjs';
import { median } from './statistics.mjs';

/**
 * A throughput measurement for `alternate` that also records, per contender name, the user and
 * system microseconds its process (`target.pid`) spent per request in each run.
 */
export function throughputWithCpu(costs, options) {
  return async (target) => {
    const before = cpuMicroseconds(target.pid);
    const result = await measureThroughput(target, options);
    const after = cpuMicroseconds(target.pid);
    costs[target.name] ??= [];
    costs[target.name].push({
      user: (after.user - before.user) / result.total,
      system: (after.system - before.system) / result.total,
    });
    return result.perSecond;
  };
}

/** The median of each round's `measured / baseline` CPU (user + system) per request. */
export function cpuRatio(costs, baseline, measured) {
  const total = (run) => run.user + run.system;
  return median(costs[measured].map((run, round) => total(run) / total(costs[baseline][round])));
}

/** `name user + system = total µs` (medians) for each, then the median of each round's `measured / baseline`. */
export function describeCpu(costs, baseline, measured) {
  const total = (run) => run.user + run.system;
  const parts = [baseline, measured].map((name) => {
    const runs = costs[name];
    const user = median(runs.map((run) => run.user)).toFixed(0);
    const system = median(runs.map((run) => run.system)).toFixed(0);
    return `${name} ${user} + ${system} = ${median(runs.map(total)).toFixed(0)} µs`;
  });
  const ratio = cpuRatio(costs, baseline, measured);
  return `${parts.join(', ')}; ${measured} / ${baseline} ${ratio.toFixed(2)}`;
}
