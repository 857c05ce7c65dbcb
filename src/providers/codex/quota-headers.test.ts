import { describe, expect, it } from 'vitest';
import { codexQuotaReading } from './quota-headers.js';

const now = Date.parse('2026-11-23T10:00:00Z');

// Header sets as the Codex backend sends them (codex-rs/codex-api/src/rate_limits.rs).
describe('codexQuotaReading', () => {
  it('names windows by their length: the 5-hour and the weekly one', () => {
    const reading = codexQuotaReading(
      {
        'x-codex-primary-used-percent': '42.5',
        'x-codex-primary-window-minutes': '300',
        'x-codex-primary-reset-after-seconds': '7800',
        'x-codex-primary-reset-at': '1795435200',
        'x-codex-secondary-used-percent': '81',
        'x-codex-secondary-window-minutes': '10080',
        'x-codex-secondary-reset-after-seconds': '259200',
        'x-codex-primary-over-secondary-limit-percent': '0',
        'x-codex-plan-type': 'plus',
      },
      now,
    );
    expect(reading?.windows).toEqual({
      '5h': { used: 0.425, status: 'allowed', resetsAt: 1795435200_000 },
      '7d': { used: 0.81, status: 'allowed', resetsAt: now + 259_200_000 },
    });
  });

  it('does not trust the name: a weekly primary is the 7d window, and a spent window is rejected', () => {
    const reading = codexQuotaReading(
      {
        'x-codex-primary-used-percent': '100',
        'x-codex-primary-window-minutes': '10080',
        'x-codex-primary-reset-after-seconds': '86400',
        'x-codex-secondary-used-percent': '95',
        'x-codex-secondary-window-minutes': '300',
      },
      now,
    );
    expect(reading?.windows).toEqual({
      '7d': { used: 1, status: 'rejected', resetsAt: now + 86_400_000 },
      '5h': { used: 0.95, status: 'allowed_warning' },
    });
  });

  it('keeps another limit family apart by its name', () => {
    const reading = codexQuotaReading(
      { 'x-codex-bengalfox-primary-used-percent': '10', 'x-codex-bengalfox-primary-window-minutes': '300' },
      now,
    );
    expect(reading?.windows).toEqual({ '5h_bengalfox': { used: 0.1, status: 'allowed' } });
  });

  it('says nothing when the headers are missing (the WebSocket transport)', () => {
    expect(codexQuotaReading({ 'content-type': 'text/event-stream' }, now)).toBeUndefined();
  });
});
