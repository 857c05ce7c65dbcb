import type { ProviderName } from '../../core/types.js';
import { providerDefinitions } from '../../providers/registry.js';
import type { OAuthSettings } from '../../providers/types.js';
import type { OAuthTokenSet } from '../token-file.js';
import { loginWithAuthorizationCode } from './authorization-code-flow.js';
import { loginWithCodexDeviceCode } from './codex-device-flow.js';
import { loginWithDeviceCode } from './device-code-flow.js';
import { LoginFailedError } from './login-failed-error.js';
import type { LoginContext } from './login-io.js';

export interface ProviderLoginOptions {
  provider: ProviderName;
  /** The provider's OAuth settings after config.yaml overrides. */
  oauth: OAuthSettings | undefined;
  /** The device code flow where the provider has one beside the browser login (codex). */
  device?: boolean;
  /** Anthropic: a loopback callback instead of pasting `code#state`. */
  loopback?: boolean;
  /** The loopback callback's port (default: the provider's, else any free one). */
  port?: number;
  /** Scopes other than the provider's (setup-token asks for `user:inference` alone). */
  scopes?: string[];
  /** Extra token request parameters (setup-token's `expires_in`). */
  tokenParameters?: Record<string, string>;
}

/** Runs the login flow of a provider's style and returns the token set to store. */
export function loginToProvider(options: ProviderLoginOptions, context: LoginContext): Promise<OAuthTokenSet> {
  const { provider, oauth } = options;
  const login = providerDefinitions[provider].login;
  if (login === undefined || oauth === undefined) {
    return Promise.reject(
      new LoginFailedError(
        provider,
        `${provider} has no OAuth login; it takes API keys: switchyard auth ${provider} key <bucket> --env VAR.`,
      ),
    );
  }
  const scopes = options.scopes ?? oauth.scopes;
  const style = login.style;
  if (style.kind === 'device-code') return loginWithDeviceCode({ provider, settings: oauth, style, scopes }, context);
  if (options.device) {
    if (style.device === 'codex') return loginWithCodexDeviceCode({ provider, settings: oauth }, context);
    return Promise.reject(
      new LoginFailedError(
        provider,
        `${provider} has no device code login; use the browser login (--no-browser prints the URL to open elsewhere).`,
      ),
    );
  }
  const paste = style.pasteRedirectUri !== undefined && !options.loopback;
  return loginWithAuthorizationCode(
    {
      provider,
      settings: oauth,
      style,
      scopes,
      redirect: paste ? { kind: 'paste' } : { kind: 'loopback', port: options.port ?? style.defaultPort },
      ...(options.tokenParameters ? { tokenParameters: options.tokenParameters } : {}),
    },
    context,
  );
}
