import { anthropicError } from './answers/anthropic.js';
import { openaiError } from './answers/chat.js';
import { googleError } from './answers/gemini.js';
import type { RateLimitStyle, SimulatedFormat } from './types.js';

export interface CannedAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A plain error in the route's own shape. */
export function errorAnswer(format: SimulatedFormat, status: number, kind: 'auth' | 'expired' | 'payment' | 'server' | 'bad-request' | 'rate', message: string): CannedAnswer {
  const headers = { 'content-type': 'application/json' };
  if (format === 'anthropic') {
    const type = { auth: 'authentication_error', expired: 'authentication_error', payment: 'billing_error', server: status === 529 ? 'overloaded_error' : 'api_error', 'bad-request': 'invalid_request_error', rate: 'rate_limit_error' }[kind];
    return { status, headers, body: anthropicError(type, message) };
  }
  if (format === 'gemini') {
    const statusName = { auth: 'UNAUTHENTICATED', expired: 'UNAUTHENTICATED', payment: 'FAILED_PRECONDITION', server: status === 503 ? 'UNAVAILABLE' : 'INTERNAL', 'bad-request': 'INVALID_ARGUMENT', rate: 'RESOURCE_EXHAUSTED' }[kind];
    return { status, headers, body: googleError(status, statusName, message) };
  }
  const [type, code] = {
    auth: ['invalid_request_error', 'invalid_api_key'],
    expired: ['invalid_request_error', format === 'responses' ? 'token_expired' : 'invalid_api_key'],
    payment: ['billing_error', 'payment_required'],
    server: ['server_error', null],
    'bad-request': ['invalid_request_error', null],
    rate: ['requests', 'rate_limit_exceeded'],
  }[kind] as [string, string | null];
  return { status, headers, body: openaiError(message, type, code) };
}

/** `6m0s`, `1.5s`, `12ms`: the way OpenAI writes reset durations. */
export function goDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = Math.round((seconds % 60) * 1000) / 1000;
  return `${hours > 0 ? `${hours}h` : ''}${hours > 0 || minutes > 0 ? `${minutes}m` : ''}${rest}s`;
}

/** A 429 with the real reset signals of a provider. */
export function rateLimitAnswer(format: SimulatedFormat, style: RateLimitStyle, resetSeconds: number, quota: boolean, now: number): CannedAnswer {
  const resetAt = now + resetSeconds * 1000;
  const resetEpoch = String(Math.ceil(resetAt / 1000));
  const plain = errorAnswer(format, 429, 'rate', quota ? 'Quota exceeded.' : 'Rate limit exceeded.');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  switch (style) {
    case 'anthropic-unified': {
      const window = quota ? '7d' : '5h';
      Object.assign(headers, {
        'anthropic-ratelimit-unified-status': 'rejected',
        'anthropic-ratelimit-unified-reset': resetEpoch,
        [`anthropic-ratelimit-unified-${window}-status`]: 'rejected',
        [`anthropic-ratelimit-unified-${window}-reset`]: resetEpoch,
        [`anthropic-ratelimit-unified-${window}-utilization`]: '1.0',
        'anthropic-ratelimit-unified-representative-claim': `five_hour`,
        'anthropic-ratelimit-unified-overage-status': 'allowed',
        'retry-after': String(resetSeconds),
      });
      return { status: 429, headers, body: anthropicError('rate_limit_error', 'This request would exceed your account\'s rate limit. Please try again later.') };
    }
    case 'anthropic-throttle':
      Object.assign(headers, { 'x-should-retry': 'true', 'retry-after': String(resetSeconds) });
      return { status: 429, headers, body: anthropicError('rate_limit_error', 'Number of concurrent connections has exceeded your rate limit.') };
    case 'openai':
      Object.assign(headers, {
        'x-ratelimit-limit-requests': '500',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': goDuration(resetSeconds),
        'x-ratelimit-limit-tokens': '30000',
        'x-ratelimit-remaining-tokens': '29000',
        'x-ratelimit-reset-tokens': '12ms',
      });
      return {
        status: 429,
        headers,
        body: quota
          ? openaiError('You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota')
          : openaiError('Rate limit reached for requests.', 'requests', 'rate_limit_exceeded'),
      };
    case 'codex':
      Object.assign(headers, {
        'x-codex-primary-used-percent': '100',
        'x-codex-primary-window-minutes': '300',
        'x-codex-primary-reset-after-seconds': String(resetSeconds),
        'x-codex-primary-reset-at': resetEpoch,
      });
      return {
        status: 429,
        headers,
        body: { error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', plan_type: 'plus', resets_at: Number(resetEpoch), resets_in_seconds: resetSeconds } },
      };
    case 'gemini': {
      const delay = `${resetSeconds}s`;
      return {
        status: 429,
        headers,
        body: googleError(429, 'RESOURCE_EXHAUSTED', quota ? 'Quota exceeded.' : 'Resource has been exhausted (e.g. check quota).', [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: quota ? 'QUOTA_EXHAUSTED' : 'RATE_LIMIT_EXCEEDED', domain: 'cloudcode-pa.googleapis.com', metadata: { quotaResetDelay: delay } },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay },
        ]),
      };
    }
    case 'retry-after-seconds':
      return { ...plain, headers: { ...plain.headers, 'retry-after': String(resetSeconds) } };
    case 'retry-after-date':
      return { ...plain, headers: { ...plain.headers, 'retry-after': new Date(resetAt).toUTCString() } };
    case 'retry-after-ms':
      return { ...plain, headers: { ...plain.headers, 'retry-after-ms': String(resetSeconds * 1000) } };
    case 'none':
      return plain;
  }
}

/** The first event of a 200 stream that carries an error, in the route's stream format. */
export function streamErrorEvent(format: SimulatedFormat, errorType: string | undefined): string {
  switch (format) {
    case 'anthropic':
      return `event: error\ndata: ${JSON.stringify(anthropicError(errorType ?? 'overloaded_error', 'Overloaded'))}\n\n`;
    case 'chat':
      return `data: ${JSON.stringify(openaiError('The server had an error while processing your request.', errorType ?? 'server_error', null))}\n\n`;
    case 'responses':
      return `event: error\ndata: ${JSON.stringify({ type: 'error', code: errorType ?? 'server_error', message: 'The server had an error.', param: null, sequence_number: 0 })}\n\n`;
    case 'gemini':
      return `data: ${JSON.stringify(googleError(500, errorType ?? 'INTERNAL', 'Internal error encountered.'))}\r\n\r\n`;
  }
}
