import type { ProviderName } from './types.js';

export const providerNames: readonly ProviderName[] = ['anthropic', 'openai', 'codex', 'gemini', 'qwen'];

const aliases: Record<string, ProviderName> = {
  anthropic: 'anthropic',
  claude: 'anthropic',
  openai: 'openai',
  codex: 'codex',
  chatgpt: 'codex',
  gemini: 'gemini',
  qwen: 'qwen',
};

/** Resolves a provider name or alias (`claude`, `chatgpt`); undefined when unknown. */
export function resolveProviderName(name: string): ProviderName | undefined {
  return aliases[name.toLowerCase()];
}

/** Like resolveProviderName, but throws an error listing the valid names. */
export function requireProviderName(name: string): ProviderName {
  const provider = resolveProviderName(name);
  if (!provider) {
    throw new Error(
      `Unknown provider "${name}". Expected one of: ${providerNames.join(', ')} (or the aliases claude, chatgpt).`,
    );
  }
  return provider;
}
