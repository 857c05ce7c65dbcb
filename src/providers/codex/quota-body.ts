import type { QuotaReading } from '../../core/quota.js';
import type { ErrorFields } from '../../formats/error-body.js';
import { codexBodySignal } from './rate-limit-signals.js';

/** Codex's shorter window: a reset further off than this can only be the weekly one's. */
const fiveHoursMs = 5 * 3_600_000;

/**
 * Codex's 429 body `usage_limit_reached` (`resets_at` / `resets_in_seconds`) as a window reading: the
 * window is spent until then. The body does not name the window; a reset within five hours is the
 * 5-hour window's, a later one the weekly window's. The `x-codex-*` headers, when the answer has them,
 * name the same window the same way (by its length), so both readings agree.
 * @see https://github.com/openai/codex/blob/main/codex-rs/core/src/error.rs
 */
export function codexQuotaBodyReading(error: ErrorFields | undefined, now: number): QuotaReading | undefined {
  const signal = codexBodySignal(error, now);
  if (signal?.until === undefined) return undefined;
  const name = signal.until - now > fiveHoursMs ? '7d' : '5h';
  return { windows: { [name]: { used: 1, status: 'rejected', resetsAt: signal.until } } };
}
