/** How a provider's OAuth login runs; the endpoints and client id stay in OAuthSettings. */
export type LoginStyle = AuthorizationCodeStyle | DeviceCodeStyle;

/** Authorization code with PKCE (S256), the code coming back to a loopback callback or pasted. */
export interface AuthorizationCodeStyle {
  kind: 'authorization-code';
  /** Path of the loopback callback, e.g. `/auth/callback`. */
  callbackPath: string;
  /** Port tried first for the callback (0: any free port); the next ones are tried when taken. */
  defaultPort: number;
  /** Extra authorize parameters the provider expects. */
  authorizeParameters: Record<string, string>;
  /** Where the provider's own page shows `code#state` for the user to paste (Anthropic). */
  pasteRedirectUri?: (tokenUrl: string) => string;
  /** Anthropic wants `state` in the token request too. */
  stateInTokenRequest?: boolean;
  /** A device flow offered beside it (`--device`), in the provider's own shape. */
  device?: 'codex';
}

/** The RFC 8628 device flow, with PKCE (Qwen). */
export interface DeviceCodeStyle {
  kind: 'device-code';
  pkce: boolean;
}

/** A provider's OAuth login: how it runs, and what it gives today. */
export interface ProviderLogin {
  style: LoginStyle;
  /** What a login gives today, told to the user before a login (PROVIDERS.md). */
  notice: string;
  /**
   * `auth <provider> setup-token`, where the provider has one: the same login asking for other
   * scopes and token lifetime.
   */
  setupToken?: { scopes: string[]; tokenParameters: Record<string, string> };
  /**
   * Where the provider's own tool keeps its login, for `auth <provider> import` without `--from`
   * (tried before llxprt-code's files). `home` is the user's home; `environment` may relocate it.
   */
  ownToolLogin?(home: string, environment: NodeJS.ProcessEnv): ToolLogin;
  /** Said when no login was found to import: where else the provider's tool may keep it. */
  importHint?: string;
}

/** A file where another tool keeps a login that `auth import` can read. */
export interface ToolLogin {
  path: string;
  tool: string;
}
