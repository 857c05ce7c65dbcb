import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../config/settings.js';
import { createProviderRegistry } from '../registry.js';
import { input, registry } from '../testing/request-input.js';
import { resourceBaseUrl } from './index.js';

describe('qwen', () => {
  it('goes to the host from resource_url unless config.yaml sets a base URL', () => {
    const oauth = { kind: 'oauth' as const, accessToken: 't', resourceUrl: 'portal.qwen.ai' };
    const request = registry.qwen.definition.buildRequest(
      input({
        format: 'openai-chat',
        path: '/v1/chat/completions',
        credential: oauth,
        settings: registry.qwen.settings,
      }),
    );
    expect(request.url.href).toBe('https://portal.qwen.ai/v1/chat/completions');
    const configured = createProviderRegistry(
      settingsSchema.parse({ providers: { qwen: { baseUrl: 'http://127.0.0.1:9/v1' } } }),
    );
    const pinned = configured.qwen.definition.buildRequest(
      input({
        format: 'openai-chat',
        path: '/v1/chat/completions',
        credential: oauth,
        settings: configured.qwen.settings,
      }),
    );
    expect(pinned.url.href).toBe('http://127.0.0.1:9/v1/chat/completions');
    expect(resourceBaseUrl('http://127.0.0.1:5/v1/')).toBe('http://127.0.0.1:5');
  });
});
