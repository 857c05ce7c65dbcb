import { describe } from 'vitest';
import { day, hour, minute, now, nowSeconds, resetTable } from '../testing/reset-cases.js';

describe('Codex usage windows', () => {
  resetTable({
    'a full primary window is spent until its reset; a weekly window below 100 % says nothing': {
      provider: 'codex',
      headers: {
        'x-codex-primary-used-percent': '100',
        'x-codex-primary-window-minutes': '300',
        'x-codex-primary-reset-after-seconds': '900',
        'x-codex-secondary-used-percent': '41',
        'x-codex-secondary-window-minutes': '10080',
        'x-codex-secondary-reset-at': String(nowSeconds + 4 * 86_400),
      },
      until: now + 15 * minute,
      quota: true,
    },
    'a full weekly window: reset-at wins over the earlier 5-hour reset': {
      provider: 'codex',
      headers: {
        'x-codex-primary-used-percent': '100.0',
        'x-codex-primary-reset-at': String(nowSeconds + 3_600),
        'x-codex-secondary-used-percent': '100',
        'x-codex-secondary-reset-at': String(nowSeconds + 3 * 86_400),
      },
      until: now + 3 * day,
      quota: true,
    },
    'windows below 100 % are no signal': {
      provider: 'codex',
      headers: { 'x-codex-primary-used-percent': '42.5', 'x-codex-primary-reset-at': String(nowSeconds + 3_600) },
      until: undefined,
      quota: false,
    },
    'other limit families count too': {
      provider: 'codex',
      headers: {
        'x-codex-primary-used-percent': '40',
        'x-codex-bengalfox-primary-used-percent': '100',
        'x-codex-bengalfox-primary-reset-at': String(nowSeconds + 7_200),
      },
      until: now + 2 * hour,
      quota: true,
    },
    'usage_limit_reached with resets_at': {
      provider: 'codex',
      body: {
        error: {
          type: 'usage_limit_reached',
          message: 'The usage limit has been reached',
          plan_type: 'plus',
          resets_at: nowSeconds + 7_200,
        },
      },
      until: now + 2 * hour,
      quota: true,
    },
    'usage_limit_reached with resets_in_seconds': {
      provider: 'codex',
      body: {
        error: {
          type: 'usage_limit_reached',
          message: 'The usage limit has been reached',
          plan_type: 'pro',
          resets_in_seconds: 60,
        },
      },
      until: now + minute,
      quota: true,
    },
    'usage_limit_reached without a reset is still spent': {
      provider: 'codex',
      body: { error: { type: 'usage_limit_reached', message: 'limit reached' } },
      until: undefined,
      quota: true,
    },
    'usage_not_included: the plan has no Codex': {
      provider: 'codex',
      body: {
        error: {
          type: 'usage_not_included',
          message: 'To use Codex with your ChatGPT plan, upgrade to Plus',
          plan_type: 'free',
        },
      },
      until: undefined,
      quota: true,
    },
  });
});
