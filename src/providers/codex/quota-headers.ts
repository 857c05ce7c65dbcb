import type { QuotaReading } from '../../core/quota.js';
import { epochSecondsHeader, type HeaderBag, header, secondsFromNowHeader } from '../header-bag.js';
import { statusFromShare } from '../quota-status.js';
import { windowNameOfMinutes } from '../window-name.js';

const usedPercentHeader = /^x-(codex(?:-[a-z0-9_-]+)?)-(primary|secondary)-used-percent$/;

/**
 * Codex's usage windows, read from every answer: `x-codex-primary-*` and `x-codex-secondary-*`
 * (`used-percent`, `window-minutes`, `reset-after-seconds`, `reset-at`). Which one is the 5-hour
 * window and which the weekly one comes from `window-minutes`, never from the name: the primary
 * is not always the shorter. Other limit families (`x-codex-<name>-primary-…`) get their name appended.
 * @see https://github.com/openai/codex/blob/main/codex-rs/codex-api/src/rate_limits.rs
 */
export function codexQuotaReading(headers: HeaderBag, now: number): QuotaReading | undefined {
  const reading: QuotaReading = { windows: {} };
  let found = false;
  for (const name of Object.keys(headers)) {
    const match = usedPercentHeader.exec(name);
    if (!match) continue;
    const percent = Number(header(headers, name)?.trim() || Number.NaN);
    if (!Number.isFinite(percent) || percent < 0) continue;
    const prefix = `x-${match[1]}-${match[2]}`;
    const minutes = Number(header(headers, `${prefix}-window-minutes`)?.trim() || Number.NaN);
    const length = Number.isFinite(minutes) && minutes > 0 ? windowNameOfMinutes(minutes) : (match[2] as string);
    const family = match[1] === 'codex' ? '' : `_${(match[1] as string).slice('codex-'.length)}`;
    const used = Math.min(percent / 100, 1);
    const resetsAt =
      epochSecondsHeader(headers, `${prefix}-reset-at`) ??
      secondsFromNowHeader(headers, `${prefix}-reset-after-seconds`, now);
    reading.windows[`${length}${family}`] = {
      used,
      status: statusFromShare(used, percent >= 100),
      ...(resetsAt === undefined ? {} : { resetsAt }),
    };
    found = true;
  }
  return found ? reading : undefined;
}
