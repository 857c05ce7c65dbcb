import { describe, expect, it } from 'vitest';
import { input, registry } from '../testing/request-input.js';

describe('codex', () => {
  it('calls the Responses backend with the ChatGPT account id', () => {
    const request = registry.codex.definition.buildRequest(
      input({
        format: 'openai-responses',
        path: '/v1/responses',
        credential: { kind: 'oauth', accessToken: 't', accountId: 'acct-1' },
        settings: registry.codex.settings,
      }),
    );
    expect(request.url.href).toBe('https://chatgpt.com/backend-api/codex/responses');
    expect(request.headers['chatgpt-account-id']).toBe('acct-1');
    expect(request.headers.originator).toBe('codex_cli_rs');
  });
});
