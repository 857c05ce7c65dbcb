// Alternated runs (A B, B A, A B ...): machine noise falls on every contender alike, and a
// median decides, not one lucky or unlucky run. A comparison is the median of each round's
// own ratio: the two runs of a round are seconds apart, so a slowdown of this VM that lasts
// minutes (its speed can halve within one benchmark) lands on both sides of every ratio.
import { median } from './statistics.mjs';

/**
 * Runs `measure(contender)` once per contender unmeasured (warm-up: JIT, pooled connections),
 * then `rounds` times in turn, the order reversed every other round so that neither side always
 * goes first; resolves with { medians: {name: value}, runs: {name: [values]} }.
 */
export async function alternate(contenders, rounds, measure, { warmUp = measure } = {}) {
  for (const contender of contenders) await warmUp(contender);
  const runs = Object.fromEntries(contenders.map((contender) => [contender.name, []]));
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) runs[contender.name].push(await measure(contender, round));
  }
  const medians = Object.fromEntries(Object.entries(runs).map(([name, values]) => [name, median(values)]));
  return { medians, runs };
}

/** The median over rounds of `runs[numerator][round] / runs[denominator][round]`. */
export function pairedRatio(runs, numerator, denominator) {
  const ratios = runs[numerator].map((value, round) => value / runs[denominator][round]);
  return median(ratios);
}

/** Each round's ratio and their median, for the log: `0.84 [0.81, 0.86, ...]`. */
export function describeRatios(runs, numerator, denominator) {
  const ratios = runs[numerator].map((value, round) => value / runs[denominator][round]);
  return `${median(ratios).toFixed(2)} [${ratios.map((ratio) => ratio.toFixed(2)).join(', ')}]`;
}
