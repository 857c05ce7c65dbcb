// Alternated runs (A B A B ...): machine noise falls on every contender alike, and the median
// of each contender's runs decides, not one lucky or unlucky run.
import { median } from './statistics.mjs';

/**
 * Runs `measure(contender)` once per contender unmeasured (warm-up: JIT, pooled connections),
 * then `rounds` times in turn; resolves with { medians: {name: value}, runs: {name: [values]} }.
 */
export async function alternate(contenders, rounds, measure, { warmUp = measure } = {}) {
  for (const contender of contenders) await warmUp(contender);
  const runs = Object.fromEntries(contenders.map((contender) => [contender.name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const contender of contenders) runs[contender.name].push(await measure(contender, round));
  }
  const medians = Object.fromEntries(Object.entries(runs).map(([name, values]) => [name, median(values)]));
  return { medians, runs };
}
