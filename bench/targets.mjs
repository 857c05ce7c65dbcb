// One row per figure: its value beside its target, met or not, and by how much when not.

/** A figure that must reach at least `minimum` (ratios: higher is better). */
export function atLeast(figure, value, minimum, { digits = 2, unit = '' } = {}) {
  const met = value >= minimum;
  const shortBy = minimum === 0 ? 0 : (1 - value / minimum) * 100;
  return {
    figure,
    value: `${value.toFixed(digits)}${unit}`,
    target: `>= ${minimum}${unit}`,
    met,
    gap: met ? '' : `${shortBy.toFixed(0)} % short`,
  };
}

/** A figure that must stay at most `maximum` (latencies, memory: lower is better). */
export function atMost(figure, value, maximum, { digits = 2, unit = '' } = {}) {
  const met = value <= maximum;
  return {
    figure,
    value: `${value.toFixed(digits)}${unit}`,
    target: `<= ${maximum}${unit}`,
    met,
    gap: met ? '' : `${(value - maximum).toFixed(digits)}${unit} over (${((value / maximum - 1) * 100).toFixed(0)} %)`,
  };
}

/** A figure that is right or wrong (counts of upstream calls), with the observed value spelled out. */
export function exactly(figure, value, target, met, gap = met ? '' : 'differs') {
  return { figure, value, target, met, gap };
}

/** A figure that could not be measured: never a made-up number. */
export function notMeasured(figure, target, reason) {
  return { figure, value: `not measured: ${reason}`, target, met: undefined, gap: '' };
}

/** A figure whose measurement failed (a contender answered wrongly or not at all). */
export function failed(figure, target, reason) {
  return { figure, value: `failed: ${reason}`, target, met: false, gap: 'no figure' };
}
