import { describe, expect, it } from 'vitest';
import { defaultSettings, settingsSchema } from '../config/settings.js';
import { claudeCodeIdentity } from './anthropic/claude-code-identity.js';
import { mergeBetas } from './anthropic/index.js';
import { codeAssistUnwrapper } from './gemini/code-assist-unwrapper.js';
import { resourceBaseUrl } from './qwen/index.js';
import { createProviderRegistry } from './registry.js';
import type { OutgoingRequestInput } from './types.js';

const registry = createProviderRegistry(defaultSettings);

function input(overrides: Partial<OutgoingRequestInput>): OutgoingRequestInput {
  const raw = overrides.body ? { rawBody: JSON.stringify(overrides.body) } : {};
  return {
    format: 'anthropic-messages',
    path: '/v1/messages',
    body: { model: 'claude-sonnet-4-6', messages: [] },
    rawBody: '{"model":"claude-sonnet-4-6","messages":[]}',
    model: undefined,
    stream: false,
    forwardHeaders: {},
    credential: { kind: 'api-key', apiKey: 'key-1' },
    settings: registry.anthropic.settings,
    ...overrides,
    ...raw,
  };
}

describe('anthropic', () => {
  it('sends OAuth tokens as a bearer with the oauth beta merged into the client\'s betas', () => {
    const request = registry.anthropic.definition.buildRequest(
      input({ credential: { kind: 'oauth', accessToken: 'token-1' }, forwardHeaders: { 'anthropic-beta': 'prompt-caching-2024-07-31' } }),
    );
    expect(request.url.href).toBe('https://api.anthropic.com/v1/messages');
    expect(request.headers.authorization).toBe('Bearer token-1');
    expect(request.headers['x-api-key']).toBeUndefined();
    expect(request.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31,oauth-2025-04-20');
    expect(JSON.parse(request.body).system[0]).toEqual({ type: 'text', text: claudeCodeIdentity });
  });

  it('keeps a client system prompt after the Claude Code identity, and does not add it twice', () => {
    const once = registry.anthropic.definition.buildRequest(input({ credential: { kind: 'oauth', accessToken: 't' }, body: { system: 'Be brief.' } }));
    expect(JSON.parse(once.body).system).toEqual([
      { type: 'text', text: claudeCodeIdentity },
      { type: 'text', text: 'Be brief.' },
    ]);
    const already = { system: [{ type: 'text', text: claudeCodeIdentity }, { type: 'text', text: 'x' }] };
    const twice = registry.anthropic.definition.buildRequest(input({ credential: { kind: 'oauth', accessToken: 't' }, body: already }));
    expect(JSON.parse(twice.body).system).toEqual(already.system);
  });

  it('sends API keys as x-api-key, untouched system prompt, and the profile model', () => {
    const request = registry.anthropic.definition.buildRequest(input({ model: 'claude-opus-4', body: { model: 'x', system: 'Hi' } }));
    expect(request.headers['x-api-key']).toBe('key-1');
    expect(request.headers.authorization).toBeUndefined();
    expect(JSON.parse(request.body)).toEqual({ model: 'claude-opus-4', system: 'Hi' });
  });

  it('merges beta lists without duplicates', () => {
    expect(mergeBetas(undefined, 'oauth-2025-04-20')).toBe('oauth-2025-04-20');
    expect(mergeBetas('oauth-2025-04-20, a', 'oauth-2025-04-20')).toBe('oauth-2025-04-20,a');
  });
});

describe('codex', () => {
  it('calls the Responses backend with the ChatGPT account id', () => {
    const request = registry.codex.definition.buildRequest(
      input({ format: 'openai-responses', path: '/v1/responses', credential: { kind: 'oauth', accessToken: 't', accountId: 'acct-1' }, settings: registry.codex.settings }),
    );
    expect(request.url.href).toBe('https://chatgpt.com/backend-api/codex/responses');
    expect(request.headers['chatgpt-account-id']).toBe('acct-1');
    expect(request.headers.originator).toBe('codex_cli_rs');
  });
});

describe('gemini', () => {
  it('uses the Generative Language API with an API key', () => {
    const request = registry.gemini.definition.buildRequest(
      input({ format: 'gemini', path: '/v1beta/models/gemini-2.5-pro:streamGenerateContent', model: 'gemini-2.5-pro', stream: true, settings: registry.gemini.settings }),
    );
    expect(request.url.href).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse');
    expect(request.headers['x-goog-api-key']).toBe('key-1');
  });

  it('wraps OAuth requests for Code Assist and unwraps its answers', () => {
    const request = registry.gemini.definition.buildRequest(
      input({ format: 'gemini', model: 'gemini-2.5-pro', body: { contents: [] }, credential: { kind: 'oauth', accessToken: 't', project: 'p-1' }, settings: registry.gemini.settings }),
    );
    expect(request.url.href).toBe('https://cloudcode-pa.googleapis.com/v1internal:generateContent');
    expect(JSON.parse(request.body)).toEqual({ model: 'gemini-2.5-pro', project: 'p-1', request: { contents: [] } });
    expect(codeAssistUnwrapper.body('{"response":{"candidates":[]}}')).toBe('{"candidates":[]}');
  });

  it('unwraps every SSE data line even when chunks split a line', async () => {
    const transform = codeAssistUnwrapper.stream();
    const output: string[] = [];
    transform.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    transform.write('data: {"response":{"a"');
    transform.write(':1}}\n\ndata: {"response":{"b":2}}\n\n');
    transform.end();
    await new Promise((resolve) => transform.on('end', resolve));
    expect(output.join('')).toBe('data: {"a":1}\n\ndata: {"b":2}\n\n');
  });

  it('keeps CRLF event boundaries when unwrapping', async () => {
    const transform = codeAssistUnwrapper.stream();
    const output: string[] = [];
    transform.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    transform.end('data: {"response":{"a":1}}\r\n\r\n');
    await new Promise((resolve) => transform.on('end', resolve));
    expect(output.join('')).toBe('data: {"a":1}\r\n\r\n');
  });
});

describe('qwen', () => {
  it('goes to the host from resource_url unless config.yaml sets a base URL', () => {
    const oauth = { kind: 'oauth' as const, accessToken: 't', resourceUrl: 'portal.qwen.ai' };
    const request = registry.qwen.definition.buildRequest(input({ format: 'openai-chat', path: '/v1/chat/completions', credential: oauth, settings: registry.qwen.settings }));
    expect(request.url.href).toBe('https://portal.qwen.ai/v1/chat/completions');
    const configured = createProviderRegistry(settingsSchema.parse({ providers: { qwen: { baseUrl: 'http://127.0.0.1:9/v1' } } }));
    const pinned = configured.qwen.definition.buildRequest(input({ format: 'openai-chat', path: '/v1/chat/completions', credential: oauth, settings: configured.qwen.settings }));
    expect(pinned.url.href).toBe('http://127.0.0.1:9/v1/chat/completions');
    expect(resourceBaseUrl('http://127.0.0.1:5/v1/')).toBe('http://127.0.0.1:5/v1');
  });
});

describe('config.yaml overrides', () => {
  it('apply to base and token URLs, and a base URL carries OAuth traffic too', () => {
    const configured = createProviderRegistry(
      settingsSchema.parse({ providers: { gemini: { baseUrl: 'http://127.0.0.1:7', tokenUrl: 'http://127.0.0.1:7/oauth/token' } } }),
    );
    expect(configured.gemini.settings.oauthBaseUrl).toBe('http://127.0.0.1:7');
    expect(configured.gemini.settings.oauth?.tokenUrl).toBe('http://127.0.0.1:7/oauth/token');
    expect(configured.gemini.settings.oauth?.clientId).toBe(registry.gemini.settings.oauth?.clientId);
  });
});
