import { join } from 'node:path';
import type { ProviderLogin } from '../login-style.js';

/**
 * Gemini CLI's installed-app login: PKCE with a loopback callback; `access_type=offline` and
 * `prompt=consent` so that Google returns a refresh token.
 * @see https://developers.google.com/identity/protocols/oauth2/native-app
 */
export const geminiLogin: ProviderLogin = {
  style: {
    kind: 'authorization-code',
    callbackPath: '/oauth2callback',
    defaultPort: 0,
    authorizeParameters: { access_type: 'offline', prompt: 'consent' },
  },
  notice:
    "Gemini: Gemini CLI's consumer OAuth (free, AI Pro, Ultra) stopped on " +
    '2026-06-18; the login still works for Google Cloud (Code Assist ' +
    'Standard/Enterprise) accounts and for other deployments of the same ' +
    'protocol. Otherwise use an API key bucket (auth gemini key).',
  ownToolLogin: (home) => ({ path: join(home, '.gemini', 'oauth_creds.json'), tool: 'Gemini CLI' }),
};
