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

/** What a provider's login gives today, told to the user before a login (PROVIDERS.md). */
export interface LoginNotice {
  style: LoginStyle;
  notice: string;
}
