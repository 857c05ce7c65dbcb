import type { Credential, ProviderName, WireFormat } from '../core/types.js';

/** OAuth endpoints and client of a provider; every field overridable in config.yaml. */
export interface OAuthSettings {
  authorizeUrl: string;
  tokenUrl: string;
  deviceUrl?: string;
  clientId: string;
  scopes: string[];
  /** How the token endpoint wants its body: Anthropic takes JSON, the others a form. */
  tokenRequestEncoding: 'json' | 'form';
}

/** A provider's endpoints after config.yaml overrides are applied. */
export interface ProviderSettings {
  /** Base URL for API-key requests (and OAuth requests where the provider has no separate one). */
  baseUrl: string;
  /** Base URL for OAuth-token requests where it differs (codex backend, Gemini Code Assist). */
  oauthBaseUrl?: string;
  oauth?: OAuthSettings;
}

/** The request as the router hands it to a provider to address and authenticate. */
export interface OutgoingRequestInput {
  format: WireFormat;
  /** The parsed client body; providers may rewrite it (model, system prompt). */
  body: Record<string, unknown>;
  /** Model from the profile; undefined keeps the client's. */
  model: string | undefined;
  /** The model named in the path (Gemini) or body. */
  clientModel: string | undefined;
  stream: boolean;
  /** Client headers that may be forwarded (already stripped of the client's credentials). */
  forwardHeaders: Record<string, string>;
  credential: Credential;
  settings: ProviderSettings;
}

export interface OutgoingRequest {
  /** Absolute URL: origin selects the connection pool. */
  url: URL;
  headers: Record<string, string>;
  body: string;
}

export interface ProviderDefinition {
  name: ProviderName;
  /** The formats this provider is reached in natively (no translation). */
  formats: readonly WireFormat[];
  defaults: ProviderSettings;
  /** Builds the upstream request: URL, auth headers, provider-required body changes. */
  buildRequest(input: OutgoingRequestInput): OutgoingRequest;
  /** Turns a non-streaming upstream body into the client's format where the provider wraps it (Code Assist). */
  unwrapResponse?(body: string): string;
}
