import { type HeaderBag, header } from './header-bag.js';
import type { ResetSignal } from './reset-signals.js';

const seconds = /^\d+(\.\d+)?$/;
/** RFC 9110's preferred IMF-fixdate and the obsolete RFC 850 form, both in GMT. */
const zonedHttpDate = /^[A-Za-z]{3,9}, \d{2}[ -][A-Za-z]{3}[ -]\d{2,4} \d{2}:\d{2}:\d{2} GMT$/;
/** ANSI C's asctime() form, which has no zone but means GMT. */
const asctimeDate = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/** An HTTP date as unix ms; only the three forms RFC 9110 allows, not whatever Date.parse guesses. */
function parseHttpDate(text: string): number | undefined {
  const date = zonedHttpDate.test(text)
    ? Date.parse(text)
    : asctimeDate.test(text)
      ? Date.parse(`${text} GMT`)
      : Number.NaN;
  return Number.isNaN(date) ? undefined : date;
}

/**
 * `retry-after` (delay seconds or an HTTP date) and the `retry-after-ms` that OpenAI and
 * Anthropic also send: a throttle, not a spent quota.
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function retryAfterSignal(headers: HeaderBag, now: number): ResetSignal | undefined {
  const milliseconds = header(headers, 'retry-after-ms')?.trim();
  if (milliseconds !== undefined && seconds.test(milliseconds))
    return { until: now + Number(milliseconds), quota: false };
  const value = header(headers, 'retry-after')?.trim();
  if (value === undefined) return undefined;
  if (seconds.test(value)) return { until: now + Number(value) * 1000, quota: false };
  const date = parseHttpDate(value);
  return date === undefined ? undefined : { until: date, quota: false };
}
