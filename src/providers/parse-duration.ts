/** Milliseconds per unit of Go's `time.ParseDuration` (both spellings of micro). */
const unitMilliseconds: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  μs: 0.001,
  ns: 0.000_001,
};

// `ms` must be tried before `m`, and the micro spellings before `s`.
const durationPart = /(\d+(?:\.\d*)?|\.\d+)(ms|us|µs|μs|ns|h|m|s)/y;
const plainSeconds = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * Go-style durations as OpenAI sends them in `x-ratelimit-reset-*` and Google in `retryDelay` /
 * `quotaResetDelay`: `6m0s`, `1.5s`, `12ms`, `1h2m3.5s`, `0s` -> whole milliseconds; undefined
 * if unparsable. Reading them with Number() or parseInt is a bug other routers have (`6m0s` -> 6).
 * A bare number is read as seconds, as some OpenAI-compatible servers send it.
 * @see https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
 * @see https://pkg.go.dev/time#ParseDuration
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (plainSeconds.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  if (trimmed === '') return undefined;
  let total = 0;
  durationPart.lastIndex = 0;
  while (durationPart.lastIndex < trimmed.length) {
    const match = durationPart.exec(trimmed);
    if (!match) return undefined;
    total += Number(match[1]) * unitMilliseconds[match[2]!]!;
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}
