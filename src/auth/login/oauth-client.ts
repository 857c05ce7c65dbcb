import * as oauth from 'oauth4webapi';
import type { OAuthSettings } from '../../providers/types.js';
import { LoginFailedError } from './login-failed-error.js';
import type { LoginContext } from './login-io.js';

/** oauth4webapi's view of one provider: server metadata, client, client authentication, request options. */
export interface OAuthClient {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  options: oauth.TokenEndpointRequestOptions & oauth.DeviceAuthorizationRequestOptions;
}

/** A form body as JSON; `expires_in` is a number there (Anthropic's setup-token request). */
function jsonParameters(form: URLSearchParams): Record<string, string | number> {
  const json: Record<string, string | number> = Object.fromEntries(form);
  const expiresIn = form.get('expires_in');
  if (expiresIn !== null && /^\d+$/.test(expiresIn)) json.expires_in = Number(expiresIn);
  return json;
}

/** Plain http is for a simulator or proxy on this machine, never for a login crossing a network. */
function isAllowedUrl(url: string): 'https' | 'loopback-http' | 'refused' {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'refused';
  }
  if (parsed.protocol === 'https:') return 'https';
  return parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)
    ? 'loopback-http'
    : 'refused';
}

/**
 * Builds the oauth4webapi objects for a provider. The issuer is the authorize URL's origin
 * (where the id_token comes from: auth.openai.com, accounts.google.com). Anthropic's token
 * endpoint takes JSON, so its form body is re-encoded on the way out.
 */
export function oauthClient(provider: string, settings: OAuthSettings, context: LoginContext): OAuthClient {
  const endpoints = {
    authorizeUrl: settings.authorizeUrl,
    tokenUrl: settings.tokenUrl,
    ...(settings.deviceUrl ? { deviceUrl: settings.deviceUrl } : {}),
  };
  let insecure = false;
  for (const [name, url] of Object.entries(endpoints)) {
    const kind = isAllowedUrl(url);
    if (kind === 'refused')
      throw new LoginFailedError(
        provider,
        `${name} must be an https URL (plain http only on 127.0.0.1/localhost); ` +
          `check providers.${provider}.${name} in config.yaml.`,
      );
    if (kind === 'loopback-http') insecure = true;
  }
  const as: oauth.AuthorizationServer = {
    issuer: new URL(settings.authorizeUrl).origin,
    authorization_endpoint: settings.authorizeUrl,
    token_endpoint: settings.tokenUrl,
    ...(settings.deviceUrl ? { device_authorization_endpoint: settings.deviceUrl } : {}),
  };
  const fetchImplementation = context.io.fetch;
  const json = settings.tokenRequestEncoding === 'json';
  const options: OAuthClient['options'] = {
    signal: context.signal,
    [oauth.allowInsecureRequests]: insecure,
    [oauth.customFetch]: (url, init) => {
      if (json && init.body instanceof URLSearchParams) {
        return fetchImplementation(url, {
          ...init,
          headers: { ...init.headers, 'content-type': 'application/json' },
          body: JSON.stringify(jsonParameters(init.body)),
        });
      }
      return fetchImplementation(url, init as RequestInit);
    },
  };
  return {
    as,
    client: { client_id: settings.clientId },
    // Installed-app clients (Google) publish a secret that their token endpoint still wants.
    clientAuth: settings.clientSecret !== undefined ? oauth.ClientSecretPost(settings.clientSecret) : oauth.None(),
    options,
  };
}
