import { describe } from 'vitest';
import { minute, now, resetTable } from '../testing/reset-cases.js';

describe('OpenAI x-ratelimit durations', () => {
  const base = {
    'x-ratelimit-limit-requests': '500',
    'x-ratelimit-limit-tokens': '30000',
    'x-ratelimit-reset-requests': '6m0s',
    'x-ratelimit-reset-tokens': '12ms',
  };
  resetTable({
    'requests at zero: the requests reset (6m0s is six minutes, not 6)': {
      provider: 'openai',
      headers: { ...base, 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-remaining-tokens': '29000' },
      until: now + 6 * minute,
      quota: false,
    },
    'tokens at zero: the tokens reset': {
      provider: 'openai',
      headers: { ...base, 'x-ratelimit-remaining-requests': '499', 'x-ratelimit-remaining-tokens': '0' },
      until: now + 12,
      quota: false,
    },
    'neither at zero: the larger reset': {
      provider: 'openai',
      headers: { ...base, 'x-ratelimit-remaining-requests': '3', 'x-ratelimit-remaining-tokens': '20' },
      until: now + 6 * minute,
      quota: false,
    },
    'both at zero: the larger reset': {
      provider: 'openai',
      headers: {
        ...base,
        'x-ratelimit-reset-requests': '1.5s',
        'x-ratelimit-reset-tokens': '1h2m3.5s',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-remaining-tokens': '0',
      },
      until: now + 3_723_500,
      quota: false,
    },
    'an unparsable duration is no signal': {
      provider: 'openai',
      headers: { 'x-ratelimit-reset-requests': 'later', 'x-ratelimit-remaining-requests': '0' },
      until: undefined,
      quota: false,
    },
    'insufficient_quota is billing: spent, with no reset': {
      provider: 'openai',
      body: {
        error: {
          message: 'You exceeded your current quota, please check your plan and billing details.',
          type: 'insufficient_quota',
          param: null,
          code: 'insufficient_quota',
        },
      },
      until: undefined,
      quota: true,
    },
  });
});
