/** What one source (a header family, a body shape) says: usable again at `until`, and whether a quota is spent. */
export interface ResetSignal {
  /** Unix ms; undefined when the source says a quota is spent but not until when. */
  until: number | undefined;
  quota: boolean;
  /**
   * The model families the spent limit binds alone (`opus` for a rejected `7d_opus`); absent when the
   * whole account is spent. Other models keep using the account.
   */
  families?: readonly string[];
}

/** A quota spent with no word on when it comes back (billing, a plan without the product). */
export const spentWithoutReset: Readonly<ResetSignal> = Object.freeze({ until: undefined, quota: true });

/** No provider rests a bucket longer than a month; a later reset is a misread or a typo. */
const longestRestMs = 30 * 24 * 3_600_000;

/**
 * Merges signals: quota when any says so; the latest reset wins. Resets in the past are ignored,
 * and one beyond 30 days is clamped to 30 days.
 */
export function mergeSignals(
  signals: readonly ResetSignal[],
  now: number,
): { until: number | undefined; quota: boolean } {
  let until: number | undefined;
  for (const signal of signals) {
    if (signal.until === undefined || !Number.isFinite(signal.until) || signal.until <= now) continue;
    until = Math.max(until ?? signal.until, signal.until);
  }
  return {
    until: until === undefined ? undefined : Math.min(until, now + longestRestMs),
    quota: signals.some((signal) => signal.quota),
  };
}
