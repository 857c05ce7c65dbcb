import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../config/settings.js';
import { createProviderRegistry } from './registry.js';
import { registry } from './testing/request-input.js';

describe('config.yaml overrides', () => {
  it('apply to base and token URLs, and a base URL carries OAuth traffic too', () => {
    const configured = createProviderRegistry(
      settingsSchema.parse({
        providers: { gemini: { baseUrl: 'http://127.0.0.1:7', tokenUrl: 'http://127.0.0.1:7/oauth/token' } },
      }),
    );
    expect(configured.gemini.settings.oauthBaseUrl).toBe('http://127.0.0.1:7');
    expect(configured.gemini.settings.oauth?.tokenUrl).toBe('http://127.0.0.1:7/oauth/token');
    expect(configured.gemini.settings.oauth?.clientId).toBe(registry.gemini.settings.oauth?.clientId);
  });
});
