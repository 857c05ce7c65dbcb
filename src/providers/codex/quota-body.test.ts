import { describe, expect, it } from 'vitest';
import { readErrorBody } from '../../formats/error-body.js';
import { codexQuotaBodyReading } from './quota-body.js';

const now = Date.parse('2026-11-23T10:00:00Z');

/** Codex's 429 body as codex-rs reads it (core/src/error.rs, UsageLimitReachedError). */
function usageLimitReached(fields: Record<string, unknown>): string {
  return JSON.stringify({
    error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', plan_type: 'plus', ...fields },
  });
}

describe('codexQuotaBodyReading', () => {
  it('reads a reset within five hours as the spent 5-hour window', () => {
    const error = readErrorBody(usageLimitReached({ resets_at: now / 1000 + 7200, resets_in_seconds: 7200 }));
    expect(codexQuotaBodyReading(error, now)).toEqual({
      windows: { '5h': { used: 1, status: 'rejected', resetsAt: now + 7_200_000 } },
    });
  });

  it('reads a reset days away as the spent weekly window, from resets_in_seconds alone', () => {
    const error = readErrorBody(usageLimitReached({ resets_in_seconds: 3 * 86_400 }));
    expect(codexQuotaBodyReading(error, now)).toEqual({
      windows: { '7d': { used: 1, status: 'rejected', resetsAt: now + 3 * 86_400_000 } },
    });
  });

  it('reads nothing from a body without a reset, or from another error', () => {
    expect(codexQuotaBodyReading(readErrorBody(usageLimitReached({})), now)).toBeUndefined();
    const other = JSON.stringify({ error: { type: 'invalid_request_error', message: 'Bad', resets_in_seconds: 60 } });
    expect(codexQuotaBodyReading(readErrorBody(other), now)).toBeUndefined();
  });
});
