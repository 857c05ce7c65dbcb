import { header, type HeaderBag } from './header-bag.js';
import { parseDuration } from './parse-duration.js';
import type { ResetSignal } from './reset-time.js';

/** A limit counted as spent: its remaining header reads zero. */
function isSpent(headers: HeaderBag, name: string): boolean {
  const remaining = header(headers, name)?.trim();
  return remaining !== undefined && remaining !== '' && Number(remaining) === 0;
}

/**
 * OpenAI's `x-ratelimit-reset-requests` / `-tokens` (Go durations, never Number()): the reset of
 * whichever limit has nothing remaining, else the later of the two. A throttle, not a quota.
 * @see https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
 */
export function openaiResetSignal(headers: HeaderBag, now: number): ResetSignal | undefined {
  const limits = ['requests', 'tokens'].map((limit) => ({
    wait: parseDuration(header(headers, `x-ratelimit-reset-${limit}`) ?? ''),
    spent: isSpent(headers, `x-ratelimit-remaining-${limit}`),
  }));
  const known = limits.filter((limit) => limit.wait !== undefined);
  const spent = known.filter((limit) => limit.spent);
  const chosen = spent.length > 0 ? spent : known;
  if (chosen.length === 0) return undefined;
  return { until: now + Math.max(...chosen.map((limit) => limit.wait ?? 0)), quota: false };
}
