import { formatOpenAiDuration } from './durations.js';
import type { RateLimitDetails } from './formats/format.js';

/**
 * The headers of a 429 in one provider's style; the reset comes from the simulator's clock.
 * @see https://docs.anthropic.com/en/api/rate-limits#response-headers
 * @see https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
 */
export function rateLimitHeaders(details: RateLimitDetails, nowMilliseconds: number): Record<string, string> {
  const retryAfter = String(Math.ceil(details.resetSeconds));
  const resetAt = String(details.resetAtSeconds);
  switch (details.style) {
    case 'anthropic-unified': {
      const window = details.quota ? '7d' : '5h';
      return {
        'anthropic-ratelimit-unified-status': 'rejected',
        'anthropic-ratelimit-unified-reset': resetAt,
        [`anthropic-ratelimit-unified-${window}-status`]: 'rejected',
        [`anthropic-ratelimit-unified-${window}-reset`]: resetAt,
        [`anthropic-ratelimit-unified-${window}-utilization`]: '1.0',
        'anthropic-ratelimit-unified-representative-claim': details.quota ? 'seven_day' : 'five_hour',
        'retry-after': retryAfter,
      };
    }
    case 'anthropic-throttle':
      return { 'x-should-retry': 'true', 'retry-after': retryAfter };
    case 'openai': {
      const reset = formatOpenAiDuration(details.resetSeconds);
      return {
        'x-ratelimit-limit-requests': '500',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': reset,
        'x-ratelimit-limit-tokens': '30000',
        'x-ratelimit-remaining-tokens': '0',
        'x-ratelimit-reset-tokens': reset,
      };
    }
    case 'codex': {
      const headers: Record<string, string> = {
        'x-codex-primary-used-percent': '100',
        'x-codex-primary-window-minutes': '300',
        'x-codex-primary-reset-after-seconds': retryAfter,
        'x-codex-primary-reset-at': resetAt,
      };
      if (details.quota) {
        // A spent weekly allowance shows in the secondary (7-day) window.
        headers['x-codex-secondary-used-percent'] = '100';
        headers['x-codex-secondary-window-minutes'] = '10080';
        headers['x-codex-secondary-reset-after-seconds'] = retryAfter;
        headers['x-codex-secondary-reset-at'] = resetAt;
      }
      return headers;
    }
    case 'retry-after-seconds':
      return { 'retry-after': retryAfter };
    case 'retry-after-date':
      // HTTP dates have whole seconds; round up so the date is never before the real reset.
      return {
        'retry-after': new Date(Math.ceil((nowMilliseconds + details.resetSeconds * 1000) / 1000) * 1000).toUTCString(),
      };
    case 'retry-after-ms':
      return { 'retry-after-ms': String(Math.round(details.resetSeconds * 1000)) };
    case 'gemini':
    case 'codex-body':
    case 'none':
      // Gemini carries its reset in the body only.
      return {};
  }
}
