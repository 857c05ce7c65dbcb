import type { ProviderOverride, Settings } from '../config/settings.js';
import type { ProviderName, WireFormat } from '../core/types.js';
import { anthropicProvider } from './anthropic/index.js';
import { apiRoot } from './api-root.js';
import { codexProvider } from './codex/index.js';
import { geminiProvider } from './gemini/index.js';
import { openaiProvider } from './openai/index.js';
import { qwenProvider } from './qwen/index.js';
import type { ProviderDefinition, ProviderSettings } from './types.js';

export const providerDefinitions: Record<ProviderName, ProviderDefinition> = {
  anthropic: anthropicProvider,
  openai: openaiProvider,
  codex: codexProvider,
  gemini: geminiProvider,
  qwen: qwenProvider,
};

/** A provider's definition with its config.yaml overrides applied. */
export interface ResolvedProvider {
  definition: ProviderDefinition;
  settings: ProviderSettings;
}

export type ProviderRegistry = Record<ProviderName, ResolvedProvider>;

/** Applies config.yaml's `providers.<name>` overrides to every provider's defaults. */
export function createProviderRegistry(settings: Settings): ProviderRegistry {
  const registry = {} as ProviderRegistry;
  for (const [name, definition] of Object.entries(providerDefinitions) as [ProviderName, ProviderDefinition][]) {
    registry[name] = { definition, settings: applyOverride(definition, settings.providers[name]) };
  }
  return registry;
}

function applyOverride(definition: ProviderDefinition, override: ProviderOverride | undefined): ProviderSettings {
  const defaults = definition.defaults;
  if (!override) return defaults;
  const resolved: ProviderSettings = {
    ...defaults,
    baseUrl: override.baseUrl === undefined ? defaults.baseUrl : apiRoot(override.baseUrl, definition.apiPathSuffixes),
    baseUrlFromConfig: override.baseUrl !== undefined,
  };
  // A single base URL override points OAuth traffic there too, unless it has its own override.
  const oauthBaseUrl =
    override.oauthBaseUrl ?? (override.baseUrl !== undefined ? override.baseUrl : defaults.oauthBaseUrl);
  if (oauthBaseUrl !== undefined) resolved.oauthBaseUrl = oauthBaseUrl;
  if (override.oauthEnabled !== undefined) resolved.oauthEnabled = override.oauthEnabled;
  if (defaults.oauth) {
    const oauth = { ...defaults.oauth };
    if (override.authorizeUrl) oauth.authorizeUrl = override.authorizeUrl;
    if (override.tokenUrl) oauth.tokenUrl = override.tokenUrl;
    if (override.deviceUrl) oauth.deviceUrl = override.deviceUrl;
    if (override.clientId) oauth.clientId = override.clientId;
    if (override.scopes) oauth.scopes = override.scopes;
    resolved.oauth = oauth;
  }
  return resolved;
}

/** Whether a provider is reached natively in a wire format (translation is a later layer). */
export function speaksFormat(provider: ProviderName, format: WireFormat): boolean {
  return providerDefinitions[provider].formats.includes(format);
}
