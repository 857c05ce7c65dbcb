import { defaultSettings } from '../../config/settings.js';
import { createProviderRegistry } from '../registry.js';
import type { OutgoingRequestInput } from '../types.js';

/** Every provider with config.yaml's defaults, as the server resolves them. */
export const registry = createProviderRegistry(defaultSettings);

/** An Anthropic Messages request with an API key, changed by `overrides` (a body also sets the raw body). */
export function input(overrides: Partial<OutgoingRequestInput>): OutgoingRequestInput {
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
