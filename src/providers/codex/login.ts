import { join } from 'node:path';
import type { ProviderLogin } from '../login-style.js';

/**
 * ChatGPT login as Codex CLI runs it: PKCE with a loopback callback on port 1455 and its extra
 * parameters, or the device code flow of `/api/accounts/deviceauth/*`.
 * @see https://github.com/openai/codex/blob/main/codex-rs/login/src/server.rs
 * @see https://github.com/openai/codex/blob/main/codex-rs/login/src/device_code_auth.rs
 */
export const codexLogin: ProviderLogin = {
  style: {
    kind: 'authorization-code',
    callbackPath: '/auth/callback',
    defaultPort: 1455,
    authorizeParameters: {
      id_token_add_organizations: 'true',
      codex_cli_simplified_flow: 'true',
      originator: 'codex_cli_rs',
    },
    device: 'codex',
  },
  notice:
    "Codex: a ChatGPT Plus/Pro/Team login; requests count against that plan's " +
    'Codex limits. Use --device on a machine without a browser.',
  ownToolLogin: (home, environment) => ({
    path: join(environment.CODEX_HOME?.trim() || join(home, '.codex'), 'auth.json'),
    tool: 'Codex CLI',
  }),
};
