import { type ErrorFields, numberField, textField } from '../../formats/error-body.js';
import { hasErrorCode } from '../error-code.js';
import { epochSecondsHeader, type HeaderBag, header, secondsFromNowHeader } from '../header-bag.js';
import { type ResetSignal, spentWithoutReset } from '../reset-signals.js';

/** `x-codex-primary-used-percent`, and the same for other limit families (`x-codex-bengalfox-…`). */
const usedPercentHeader = /^x-(codex(?:-[a-z0-9_-]+)?)-(primary|secondary)-used-percent$/;

/**
 * Codex's usage windows (`primary` = 5 hours, `secondary` = weekly, per limit family): a window
 * at 100 % is spent until its `-reset-at` (epoch seconds) or `-reset-after-seconds`. A window
 * below 100 % did not stop the request, so its reset says nothing.
 * @see https://github.com/openai/codex/blob/main/codex-rs/codex-api/src/rate_limits.rs
 */
export function codexHeaderSignal(headers: HeaderBag, now: number): ResetSignal | undefined {
  let spent = false;
  let until: number | undefined;
  for (const name of Object.keys(headers)) {
    const match = usedPercentHeader.exec(name);
    if (!match) continue;
    const used = Number(header(headers, name)?.trim() || Number.NaN);
    if (!(used >= 100)) continue;
    spent = true;
    const window = `x-${match[1]}-${match[2]}`;
    const reset =
      epochSecondsHeader(headers, `${window}-reset-at`) ??
      secondsFromNowHeader(headers, `${window}-reset-after-seconds`, now);
    if (reset !== undefined) until = Math.max(until ?? reset, reset);
  }
  return spent ? { until, quota: true } : undefined;
}

/** An epoch-seconds field, also accepted as an ISO 8601 string. */
function instantField(error: ErrorFields, name: string): number | undefined {
  const seconds = numberField(error, name);
  if (seconds !== undefined) return seconds * 1000;
  const date = Date.parse(textField(error, name) ?? '');
  return Number.isNaN(date) ? undefined : date;
}

/**
 * Codex's `{"error":{"type":"usage_limit_reached","plan_type":…,"resets_at":…,"resets_in_seconds":…}}`:
 * the plan's allowance is spent until `resets_at` (epoch seconds) or `resets_in_seconds` from now.
 * @see https://github.com/openai/codex/blob/main/codex-rs/core/src/error.rs
 */
export function codexBodySignal(error: ErrorFields | undefined, now: number): ResetSignal | undefined {
  if (
    !error ||
    (textField(error, 'type') !== 'usage_limit_reached' && textField(error, 'code') !== 'usage_limit_reached')
  ) {
    return undefined;
  }
  const resetsIn = numberField(error, 'resets_in_seconds');
  const resets = [instantField(error, 'resets_at'), resetsIn === undefined ? undefined : now + resetsIn * 1000];
  const known = resets.filter((reset): reset is number => reset !== undefined);
  return { until: known.length > 0 ? Math.max(...known) : undefined, quota: true };
}

const planCodes: ReadonlySet<string> = new Set(['usage_not_included']);

/**
 * Codex's `usage_not_included`: the ChatGPT plan has no Codex, so nothing will reset.
 * @see https://github.com/openai/codex/blob/main/codex-rs/core/src/error.rs
 */
export function codexPlanSignal(error: ErrorFields | undefined): ResetSignal | undefined {
  return hasErrorCode(error, planCodes) ? spentWithoutReset : undefined;
}
