import { join } from 'node:path';
import type { ProviderLogin } from '../login-style.js';

/**
 * `auth anthropic setup-token`: the same login asking for `user:inference` alone and a one-year
 * lifetime in the token request, as Claude Code's `setup-token` does.
 */
export const setupTokenRequest = {
  scopes: ['user:inference'],
  tokenParameters: { expires_in: String(365 * 24 * 3600) },
};

/**
 * Claude Pro/Max login as Claude Code runs it: PKCE, `code=true`, and either the code page
 * (the user pastes `code#state`) or a loopback callback; the token endpoint takes JSON and state.
 * @see https://github.com/anthropics/claude-code (the OAuth client id and scopes are Claude Code's)
 */
export const anthropicLogin: ProviderLogin = {
  style: {
    kind: 'authorization-code',
    callbackPath: '/callback',
    defaultPort: 0,
    authorizeParameters: { code: 'true' },
    pasteRedirectUri: (tokenUrl) => `${new URL(tokenUrl).origin}/oauth/code/callback`,
    stateInTokenRequest: true,
  },
  notice:
    'Anthropic: a Claude Pro/Max login works only for requests that look like ' +
    'Claude Code (switchyard sends them so), and since 2026-04-04 third-party ' +
    'use may be billed to "extra usage". An API key bucket (auth anthropic ' +
    'key) avoids both.',
  setupToken: setupTokenRequest,
  ownToolLogin: (home, environment) => ({
    path: join(environment.CLAUDE_CONFIG_DIR?.trim() || join(home, '.claude'), '.credentials.json'),
    tool: 'Claude Code',
  }),
  // Claude Code on macOS keeps the same JSON in the login keychain rather than in a file.
  importHint:
    'On macOS, Claude Code keeps its login in the keychain: ' +
    'security find-generic-password -s "Claude Code-credentials" -w > FILE',
};
