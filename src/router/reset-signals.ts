import { epochSecondsHeader, header, secondsFromNowHeader, type HeaderBag } from './header-bag.js';
import { parseDuration } from './parse-duration.js';

/** One source of reset information: when the bucket is usable again, and whether a quota is spent. */
export interface ResetSignal {
  until: number;
  quota: boolean;
}

/** `retry-after` (seconds or an HTTP date) and `retry-after-ms`. @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after */
export function retryAfterSignal(headers: HeaderBag, now: number): ResetSignal | undefined {
  const milliseconds = header(headers, 'retry-after-ms');
  if (milliseconds !== undefined && /^\d+(\.\d+)?$/.test(milliseconds.trim())) return { until: now + Number(milliseconds), quota: false };
  const value = header(headers, 'retry-after');
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return { until: now + Number(value) * 1000, quota: false };
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : { until: date, quota: false };
}

/**
 * Anthropic's unified limits: a rejected 5h or 7d window is a spent quota until that window's
 * reset; `overage-status: allowed` is not exhaustion.
 * @see https://docs.anthropic.com/en/api/rate-limits#response-headers
 */
export function anthropicUnifiedSignal(headers: HeaderBag): ResetSignal | undefined {
  const windows = ['5h', '7d', '7d_opus', '7d_sonnet'];
  let latestWindow: number | undefined;
  for (const window of windows) {
    if (header(headers, `anthropic-ratelimit-unified-${window}-status`) !== 'rejected') continue;
    const reset = epochSecondsHeader(headers, `anthropic-ratelimit-unified-${window}-reset`);
    if (reset !== undefined && (latestWindow === undefined || reset > latestWindow)) latestWindow = reset;
  }
  if (latestWindow !== undefined) return { until: latestWindow, quota: true };
  if (header(headers, 'anthropic-ratelimit-unified-status') === 'rejected') {
    const reset = epochSecondsHeader(headers, 'anthropic-ratelimit-unified-reset');
    if (reset !== undefined) return { until: reset, quota: true };
  }
  return undefined;
}

/** OpenAI's `x-ratelimit-reset-requests/-tokens` durations. @see https://platform.openai.com/docs/guides/rate-limits */
export function openaiResetSignal(headers: HeaderBag, now: number): ResetSignal | undefined {
  const requests = parseDuration(header(headers, 'x-ratelimit-reset-requests') ?? '');
  const tokens = parseDuration(header(headers, 'x-ratelimit-reset-tokens') ?? '');
  let wait: number | undefined;
  if (header(headers, 'x-ratelimit-remaining-requests') === '0' && requests !== undefined) wait = requests;
  else if (header(headers, 'x-ratelimit-remaining-tokens') === '0' && tokens !== undefined) wait = tokens;
  else if (requests !== undefined || tokens !== undefined) wait = Math.max(requests ?? 0, tokens ?? 0);
  return wait === undefined ? undefined : { until: now + wait, quota: false };
}

/** Codex usage windows: primary (5 h) and secondary (weekly). */
export function codexHeaderSignal(headers: HeaderBag, now: number): ResetSignal | undefined {
  let until: number | undefined;
  for (const window of ['primary', 'secondary']) {
    const used = Number(header(headers, `x-codex-${window}-used-percent`) ?? 'NaN');
    const reset = epochSecondsHeader(headers, `x-codex-${window}-reset-at`) ?? secondsFromNowHeader(headers, `x-codex-${window}-reset-after-seconds`, now);
    if (reset === undefined) continue;
    // A window below 100 % is not what stopped the request; prefer the full one when known.
    if (Number.isFinite(used) && used < 100) continue;
    if (until === undefined || reset > until) until = reset;
  }
  return until === undefined ? undefined : { until, quota: true };
}

/** Codex `usage_limit_reached` bodies with `resets_at` (epoch s) or `resets_in_seconds`. */
export function codexBodySignal(error: Record<string, unknown> | undefined, now: number): ResetSignal | undefined {
  if (!error || (error.type !== 'usage_limit_reached' && error.code !== 'usage_limit_reached')) return undefined;
  if (typeof error.resets_at === 'number') return { until: error.resets_at * 1000, quota: true };
  if (typeof error.resets_in_seconds === 'number') return { until: now + error.resets_in_seconds * 1000, quota: true };
  return { until: Number.NaN, quota: true };
}

/**
 * Google's RESOURCE_EXHAUSTED details: RetryInfo.retryDelay and ErrorInfo (QUOTA_EXHAUSTED vs
 * RATE_LIMIT_EXCEEDED, metadata.quotaResetDelay / quotaResetTimeStamp).
 * @see https://cloud.google.com/apis/design/errors#error_details
 */
export function geminiSignal(error: Record<string, unknown> | undefined, now: number): ResetSignal | undefined {
  const details = Array.isArray(error?.details) ? (error.details as unknown[]) : [];
  let until: number | undefined;
  let quota = false;
  for (const detail of details) {
    if (typeof detail !== 'object' || detail === null) continue;
    const entry = detail as Record<string, unknown>;
    const type = String(entry['@type'] ?? '');
    if (type.endsWith('google.rpc.RetryInfo') && typeof entry.retryDelay === 'string') {
      const delay = parseDuration(entry.retryDelay);
      if (delay !== undefined) until = Math.max(until ?? 0, now + delay);
    }
    if (type.endsWith('google.rpc.ErrorInfo')) {
      if (entry.reason === 'QUOTA_EXHAUSTED') quota = true;
      const metadata = (entry.metadata ?? {}) as Record<string, unknown>;
      if (typeof metadata.quotaResetDelay === 'string') {
        const delay = parseDuration(metadata.quotaResetDelay);
        if (delay !== undefined) until = Math.max(until ?? 0, now + delay);
      }
      if (typeof metadata.quotaResetTimeStamp === 'string') {
        const at = Date.parse(metadata.quotaResetTimeStamp);
        if (!Number.isNaN(at)) until = Math.max(until ?? 0, at);
      }
    }
  }
  if (until === undefined && !quota) return undefined;
  return { until: until ?? Number.NaN, quota };
}
