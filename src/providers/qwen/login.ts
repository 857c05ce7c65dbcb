import { join } from 'node:path';
import type { ProviderLogin } from '../login-style.js';

/**
 * Qwen Code's login: the RFC 8628 device flow with PKCE; the token answer's `resource_url`
 * names the account's API host.
 * @see https://github.com/QwenLM/qwen-code (packages/core/src/qwen/qwenOAuth2.ts)
 */
export const qwenLogin: ProviderLogin = {
  style: { kind: 'device-code', pkce: true },
  notice:
    'Qwen: the free OAuth tier ended on 2026-04-15; the login still works for ' +
    'paid qwen.ai accounts and other deployments of the same protocol. ' +
    'Otherwise use an API key bucket (auth qwen key).',
  ownToolLogin: (home) => ({ path: join(home, '.qwen', 'oauth_creds.json'), tool: 'Qwen Code' }),
};
