import type { ErrorFields } from '../../formats/error-body.js';
import { hasErrorCode } from '../error-code.js';
import { type HeaderBag, header } from '../header-bag.js';
import { parseDuration } from '../parse-duration.js';
import { type ResetSignal, spentWithoutReset } from '../reset-signals.js';

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

const spentQuotaCodes: ReadonlySet<string> = new Set(['insufficient_quota']);

/**
 * OpenAI's `insufficient_quota` (in `type` or `code`): the plan or bill is spent, with no reset.
 * OpenAI-compatible providers (Qwen) and the Codex backend send it alike.
 * @see https://platform.openai.com/docs/guides/error-codes#api-errors
 */
export function openaiSpentQuotaSignal(error: ErrorFields | undefined): ResetSignal | undefined {
  return hasErrorCode(error, spentQuotaCodes) ? spentWithoutReset : undefined;
}
