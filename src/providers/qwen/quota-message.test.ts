import { describe } from 'vitest';
import { resetTable } from '../testing/reset-cases.js';

describe('Qwen', () => {
  resetTable({
    insufficient_quota: {
      provider: 'qwen',
      body: {
        error: {
          message: 'Free allocated quota exceeded.',
          type: 'insufficient_quota',
          param: null,
          code: 'insufficient_quota',
        },
      },
      until: undefined,
      quota: true,
    },
    'the documented "Free allocated quota exceeded" message alone': {
      provider: 'qwen',
      body: { error: { message: 'Free allocated quota exceeded.', type: 'invalid_request_error' } },
      until: undefined,
      quota: true,
    },
    'the documented message in a truncated body': {
      provider: 'qwen',
      body: '{"error":{"message":"Free allocated quota exceeded.","type":"invalid_req',
      until: undefined,
      quota: true,
    },
    'the message means nothing from other providers': {
      provider: 'openai',
      body: { error: { message: 'Free allocated quota exceeded.', type: 'invalid_request_error' } },
      until: undefined,
      quota: false,
    },
  });
});
