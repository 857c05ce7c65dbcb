import type { TokenManager } from '../auth/token-manager.js';
import { providerNames } from '../core/provider-names.js';
import type { ProviderName } from '../core/types.js';

/** Every stored OAuth token's expiry, for the metrics; read when /metrics is scraped. */
export async function tokenExpiries(
  tokens: TokenManager,
): Promise<{ provider: ProviderName; bucket: string; expiresAt: number }[]> {
  const expiries: { provider: ProviderName; bucket: string; expiresAt: number }[] = [];
  for (const provider of providerNames) {
    for (const entry of await tokens.describe(provider).catch(() => [])) {
      if (entry.kind === 'oauth' && entry.expiresAt !== undefined)
        expiries.push({ provider, bucket: entry.bucket, expiresAt: entry.expiresAt });
    }
  }
  return expiries;
}
