import type { ProviderName } from '../core/types.js';
import { header, type HeaderBag } from './header-bag.js';
import {
  anthropicUnifiedSignal,
  codexBodySignal,
  codexHeaderSignal,
  geminiSignal,
  openaiResetSignal,
  retryAfterSignal,
  type ResetSignal,
} from './reset-signals.js';

export type { HeaderBag } from './header-bag.js';
export { parseDuration } from './parse-duration.js';

export interface UpstreamAnswer {
  provider: ProviderName;
  status: number;
  headers: HeaderBag;
  /** Body text of a non-2xx answer (possibly truncated); not read for 2xx. */
  body: string | undefined;
  /** Unix ms now (injected clock). */
  now: number;
}

export type Classification =
  | { kind: 'success' }
  /** Switch now; `until` undefined means the answer said nothing (the router's default cooldown applies). */
  | { kind: 'rate-limited'; state: 'cooling' | 'exhausted'; until: number | undefined; reason: string }
  /** Refresh once, then needs-login. */
  | { kind: 'auth'; reason: string }
  /** Bounded retry on the same bucket, then switch. */
  | { kind: 'retryable'; reason: string }
  /** The client's fault: passed through unchanged. */
  | { kind: 'client-error'; reason: string };

const maximumRestMs = 30 * 24 * 3_600_000;

/** The error object of a provider body: `{ error: {...} }` (most) or `{ type: 'error', error: {...} }` (Anthropic). */
function errorObjectOf(body: string | undefined): Record<string, unknown> | undefined {
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const error = parsed?.error;
    if (typeof error === 'object' && error !== null) return error as Record<string, unknown>;
    if (typeof error === 'string') return { code: error, type: error };
    return parsed;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Every reset signal of an answer, merged: the latest reset wins, and any spent quota makes it quota. */
export function readResetTime(answer: UpstreamAnswer): { until: number | undefined; quota: boolean } {
  const { headers, now } = answer;
  const error = errorObjectOf(answer.body);
  const signals = [
    retryAfterSignal(headers, now),
    anthropicUnifiedSignal(headers),
    openaiResetSignal(headers, now),
    codexHeaderSignal(headers, now),
    codexBodySignal(error, now),
    geminiSignal(error, now),
  ].filter((signal): signal is ResetSignal => signal !== undefined);
  let quota = signals.some((signal) => signal.quota) || isQuotaBody(answer.provider, error, answer.body);
  let until: number | undefined;
  for (const signal of signals) {
    if (!Number.isFinite(signal.until) || signal.until <= now) continue;
    if (until === undefined || signal.until > until) until = signal.until;
  }
  if (until !== undefined) until = Math.min(until, now + maximumRestMs);
  // A momentary rejection (`x-should-retry: true` without a unified reset) is a throttle.
  if (answer.provider === 'anthropic' && header(headers, 'x-should-retry') === 'true' && anthropicUnifiedSignal(headers) === undefined) quota = false;
  return { until, quota };
}

/**
 * Bodies that say a quota or bill is spent: OpenAI `insufficient_quota`, Qwen's documented
 * "Free allocated quota exceeded", Anthropic `billing_error`.
 */
function isQuotaBody(provider: ProviderName, error: Record<string, unknown> | undefined, body: string | undefined): boolean {
  const type = text(error?.type);
  const code = text(error?.code);
  if (type === 'insufficient_quota' || code === 'insufficient_quota' || type === 'billing_error') return true;
  if (provider === 'qwen' && body?.includes('Free allocated quota exceeded')) return true;
  return false;
}

/** 403s that mean the login is gone rather than the request being forbidden. */
function isRevokedToken(provider: ProviderName, error: Record<string, unknown> | undefined): boolean {
  const code = text(error?.code) ?? text(error?.type);
  if (code === 'token_invalidated' || code === 'token_expired' || code === 'token_revoked' || code === 'invalid_token') return true;
  if (provider === 'gemini' && error?.status === 'UNAUTHENTICATED') return true;
  // Anthropic answers a revoked OAuth token with a 403 permission_error that says so.
  if (provider === 'anthropic' && error?.type === 'permission_error' && /oauth token (has been )?(revoked|expired)/i.test(text(error.message) ?? '')) return true;
  return false;
}

/** What the router does with an upstream answer. */
export function classifyAnswer(answer: UpstreamAnswer): Classification {
  const { status } = answer;
  if (status >= 200 && status < 300) return { kind: 'success' };
  const error = errorObjectOf(answer.body);
  const reason = text(error?.type) ?? text(error?.code) ?? text(error?.status) ?? String(status);
  if (status === 429 || status === 402) {
    const reset = readResetTime(answer);
    return { kind: 'rate-limited', state: status === 402 || reset.quota ? 'exhausted' : 'cooling', until: reset.until, reason: status === 402 ? 'payment_required' : reason };
  }
  if (status === 401) return { kind: 'auth', reason };
  if (status === 403) {
    if (isQuotaBody(answer.provider, error, answer.body)) {
      return { kind: 'rate-limited', state: 'exhausted', until: readResetTime(answer).until, reason };
    }
    if (isRevokedToken(answer.provider, error)) return { kind: 'auth', reason };
    return { kind: 'client-error', reason };
  }
  if (status === 408 || status >= 500) return { kind: 'retryable', reason };
  return { kind: 'client-error', reason };
}

const rateLimitCodes = new Set(['rate_limit_error', 'rate_limit_exceeded', 'requests', 'tokens', 'RESOURCE_EXHAUSTED']);
const quotaCodes = new Set(['usage_limit_reached', 'insufficient_quota', 'billing_error', 'QUOTA_EXHAUSTED']);
const authCodes = new Set(['authentication_error', 'invalid_api_key', 'token_expired', 'token_invalidated', 'UNAUTHENTICATED']);

/** An error event at the start of a 200 stream (its parsed data), classified like an answer. */
export function classifyStreamError(_provider: ProviderName, error: unknown, now: number): Classification {
  const data = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const response = data.response as Record<string, unknown> | undefined;
  const inner = (data.error ?? response?.error ?? data) as Record<string, unknown>;
  const codes = [text(inner.type), text(inner.code), text(inner.status), text(data.code)].filter((value): value is string => value !== undefined);
  const reason = codes[0] ?? 'stream_error';
  const numericCode = typeof inner.code === 'number' ? inner.code : undefined;
  if (codes.some((code) => quotaCodes.has(code))) {
    const until = codexBodySignal(inner, now)?.until ?? geminiSignal(inner, now)?.until;
    return { kind: 'rate-limited', state: 'exhausted', until: until !== undefined && Number.isFinite(until) && until > now ? until : undefined, reason };
  }
  if (codes.some((code) => rateLimitCodes.has(code)) || numericCode === 429) {
    const signal = geminiSignal(inner, now);
    const until = signal && Number.isFinite(signal.until) && signal.until > now ? signal.until : undefined;
    return { kind: 'rate-limited', state: signal?.quota ? 'exhausted' : 'cooling', until, reason };
  }
  if (codes.some((code) => authCodes.has(code)) || numericCode === 401) return { kind: 'auth', reason };
  return { kind: 'retryable', reason };
}
