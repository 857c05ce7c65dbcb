import { describe, expect, it } from 'vitest';
import { input, registry } from '../testing/request-input.js';
import { claudeCodeIdentity } from './claude-code-identity.js';
import { mergeBetas } from './index.js';

describe('anthropic', () => {
  it("sends OAuth tokens as a bearer with the oauth beta merged into the client's betas", () => {
    const request = registry.anthropic.definition.buildRequest(
      input({
        credential: { kind: 'oauth', accessToken: 'token-1' },
        forwardHeaders: { 'anthropic-beta': 'prompt-caching-2024-07-31' },
      }),
    );
    expect(request.url.href).toBe('https://api.anthropic.com/v1/messages');
    expect(request.headers.authorization).toBe('Bearer token-1');
    expect(request.headers['x-api-key']).toBeUndefined();
    expect(request.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31,oauth-2025-04-20');
    expect(JSON.parse(request.body).system[0]).toEqual({ type: 'text', text: claudeCodeIdentity });
  });

  it('keeps a client system prompt after the Claude Code identity, and does not add it twice', () => {
    const once = registry.anthropic.definition.buildRequest(
      input({ credential: { kind: 'oauth', accessToken: 't' }, body: { system: 'Be brief.' } }),
    );
    expect(JSON.parse(once.body).system).toEqual([
      { type: 'text', text: claudeCodeIdentity },
      { type: 'text', text: 'Be brief.' },
    ]);
    const already = {
      system: [
        { type: 'text', text: claudeCodeIdentity },
        { type: 'text', text: 'x' },
      ],
    };
    const twice = registry.anthropic.definition.buildRequest(
      input({ credential: { kind: 'oauth', accessToken: 't' }, body: already }),
    );
    expect(JSON.parse(twice.body).system).toEqual(already.system);
  });

  it('sends API keys as x-api-key, untouched system prompt, and the profile model', () => {
    const request = registry.anthropic.definition.buildRequest(
      input({ model: 'claude-opus-4', body: { model: 'x', system: 'Hi' } }),
    );
    expect(request.headers['x-api-key']).toBe('key-1');
    expect(request.headers.authorization).toBeUndefined();
    expect(JSON.parse(request.body)).toEqual({ model: 'claude-opus-4', system: 'Hi' });
  });

  it('merges beta lists without duplicates', () => {
    expect(mergeBetas(undefined, 'oauth-2025-04-20')).toBe('oauth-2025-04-20');
    expect(mergeBetas('oauth-2025-04-20, a', 'oauth-2025-04-20')).toBe('oauth-2025-04-20,a');
  });
});
