import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../config/settings.js';
import type { ProviderName, WireFormat } from '../core/types.js';
import { apiRoot } from './api-root.js';
import { createProviderRegistry } from './registry.js';
import { input } from './testing/request-input.js';

/** One path per provider, as the router sends it, and the URL each provider's API reference prints for it. */
const cases: { provider: ProviderName; format: WireFormat; path: string; documented: string }[] = [
  { provider: 'anthropic', format: 'anthropic-messages', path: '/v1/messages', documented: '/v1/messages' },
  { provider: 'openai', format: 'openai-chat', path: '/v1/chat/completions', documented: '/v1/chat/completions' },
  { provider: 'openai', format: 'openai-responses', path: '/v1/responses', documented: '/v1/responses' },
  { provider: 'codex', format: 'openai-responses', path: '/v1/responses', documented: '/backend-api/codex/responses' },
  { provider: 'qwen', format: 'openai-chat', path: '/v1/chat/completions', documented: '/v1/chat/completions' },
];

function urlFor(provider: ProviderName, format: WireFormat, path: string, baseUrl?: string): string {
  const settings = settingsSchema.parse(baseUrl === undefined ? {} : { providers: { [provider]: { baseUrl } } });
  const resolved = createProviderRegistry(settings)[provider];
  const request = resolved.definition.buildRequest(
    input({ format, path, body: { model: 'm', messages: [] }, settings: resolved.settings }),
  );
  return request.url.href;
}

describe('providers.<name>.baseUrl: the API root for every provider', () => {
  it.each(cases)('$provider: the root, a proxy prefix, and the documented path after it ($documented)', (entry) => {
    expect(urlFor(entry.provider, entry.format, entry.path, 'http://127.0.0.1:9')).toBe(
      `http://127.0.0.1:9${entry.documented}`,
    );
    expect(urlFor(entry.provider, entry.format, entry.path, 'https://proxy.example/llm/')).toBe(
      `https://proxy.example/llm${entry.documented}`,
    );
  });

  it('has each default as the provider documents its host', () => {
    expect(urlFor('anthropic', 'anthropic-messages', '/v1/messages')).toBe('https://api.anthropic.com/v1/messages');
    expect(urlFor('openai', 'openai-chat', '/v1/chat/completions')).toBe('https://api.openai.com/v1/chat/completions');
    expect(urlFor('codex', 'openai-responses', '/v1/responses')).toBe(
      'https://chatgpt.com/backend-api/codex/responses',
    );
    expect(urlFor('qwen', 'openai-chat', '/v1/chat/completions')).toBe(
      'https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions',
    );
  });

  it('keeps configs written for the older meaning working: a trailing /v1, /backend-api/codex or /backend-api', () => {
    expect(urlFor('openai', 'openai-chat', '/v1/chat/completions', 'http://127.0.0.1:9/v1')).toBe(
      'http://127.0.0.1:9/v1/chat/completions',
    );
    expect(
      urlFor('qwen', 'openai-chat', '/v1/chat/completions', 'https://dashscope.aliyuncs.com/compatible-mode/v1'),
    ).toBe('https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions');
    for (const legacy of ['http://127.0.0.1:9/backend-api/codex', 'http://127.0.0.1:9/backend-api/'])
      expect(urlFor('codex', 'openai-responses', '/v1/responses', legacy)).toBe(
        'http://127.0.0.1:9/backend-api/codex/responses',
      );
  });

  it('removes one trailing slash run and one known ending, nothing else', () => {
    expect(apiRoot('http://h/v1//', ['/v1'])).toBe('http://h');
    expect(apiRoot('http://h/v1beta', ['/v1'])).toBe('http://h/v1beta');
    expect(apiRoot('http://h/v1')).toBe('http://h/v1');
  });
});
