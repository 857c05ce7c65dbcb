import { describe, expect, it } from 'vitest';
import { redactCredentials, redactHeaders } from './credential-redaction.js';

describe('credential redaction of captured bodies', () => {
  it('replaces credential fields, also inside JSON strings, bearer values and every known secret', () => {
    const body = JSON.stringify({
      api_key: 'sk-one-abcdefgh',
      nested: { 'x-api-key': 'sk-two-abcdefgh', refresh_token: 'rt-abcdefgh' },
      content: `tool said {"access_token":"at-abcdefgh","password":"p\\"w"} with Bearer abc.def-ghi_jkl and oauth-token-123456`,
      harmless: 'a tokenizer counts tokens',
    });
    const shown = redactCredentials(body, ['oauth-token-123456', 'short']);
    for (const secret of [
      'sk-one',
      'sk-two',
      'rt-abcdefgh',
      'at-abcdefgh',
      'abc.def-ghi_jkl',
      'oauth-token-123456',
      'p\\"w',
    ])
      expect(shown, secret).not.toContain(secret);
    expect(JSON.parse(shown)).toEqual({
      api_key: '[redacted]',
      nested: { 'x-api-key': '[redacted]', refresh_token: '[redacted]' },
      content: 'tool said {"access_token":"[redacted]","password":"[redacted]"} with Bearer [redacted] and [redacted]',
      harmless: 'a tokenizer counts tokens',
    });
    // A secret shorter than 8 characters would redact ordinary words: left alone.
    expect(redactCredentials('a short word', ['short'])).toBe('a short word');
  });

  it('shows credential headers as redacted and redacts secrets in the others', () => {
    expect(
      redactHeaders(
        {
          authorization: 'Bearer client-key',
          'X-Api-Key': 'k',
          cookie: 'session=1',
          'x-note': 'carries oauth-token-123456',
          accept: ['a', 'b'],
          missing: undefined,
        },
        ['oauth-token-123456'],
      ),
    ).toEqual({
      authorization: '[redacted]',
      'X-Api-Key': '[redacted]',
      cookie: '[redacted]',
      'x-note': 'carries [redacted]',
      accept: 'a, b',
    });
  });
});
