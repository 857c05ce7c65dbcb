import type { Transform } from 'node:stream';
import type { QuotaReading } from '../core/quota.js';
import type { Credential, ProviderName, WireFormat } from '../core/types.js';
import type { ErrorFields } from '../formats/error-body.js';
import type { HeaderBag } from './header-bag.js';
import type { ProviderLogin } from './login-style.js';
import type { ResetSignal } from './reset-signals.js';

/** OAuth endpoints and client of a provider; every field overridable in config.yaml. */
export interface OAuthSettings {
  authorizeUrl: string;
  tokenUrl: string;
  deviceUrl?: string;
  clientId: string;
  /** Installed-app clients (Google) publish a secret that the token endpoint still requires. */
  clientSecret?: string;
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
  /** True when config.yaml set baseUrl: it then wins over per-account hosts (Qwen's resource_url). */
  baseUrlFromConfig?: boolean;
  /** `auth <provider> disable` turns OAuth buckets of the provider off (API-key buckets still work). */
  oauthEnabled?: boolean;
  oauth?: OAuthSettings;
}

/** The request as the router hands it to a provider to address and authenticate. */
export interface OutgoingRequestInput {
  format: WireFormat;
  /** The inbound path without query, e.g. `/v1/messages/count_tokens`. */
  path: string;
  /** The parsed client body; providers may rewrite it (model, system prompt). */
  body: Record<string, unknown>;
  /** The body as the client sent it: reused as is when the provider changes nothing. */
  rawBody: string;
  /** Model from the profile, else the client's (body or Gemini path). */
  model: string | undefined;
  stream: boolean;
  /** Client headers that may be forwarded (already stripped of the client's credentials). */
  forwardHeaders: Record<string, string>;
  credential: Credential;
  settings: ProviderSettings;
}

export interface OutgoingRequest {
  /** Absolute URL: its origin selects the connection pool. Shared between requests (see joinUrl). */
  url: Readonly<URL>;
  headers: Record<string, string>;
  body: string;
}

export interface ProviderDefinition {
  name: ProviderName;
  /** The formats this provider is reached in natively (no translation). */
  formats: readonly WireFormat[];
  /** The provider answers only as a stream (the Codex backend refuses `stream: false`). */
  streamsOnly?: boolean;
  defaults: ProviderSettings;
  /** Client headers worth forwarding (lower-case); everything else is dropped. */
  forwardedHeaders: readonly string[];
  /** Builds the upstream request: URL, auth headers, provider-required body changes. */
  buildRequest(input: OutgoingRequestInput): OutgoingRequest;
  /**
   * Where the provider wraps its answers (Gemini Code Assist: `{ "response": ... }`), turns them
   * back into the plain wire format; undefined when answers pass through untouched.
   */
  responseUnwrapper?(credential: Credential): ResponseUnwrapper | undefined;
  /** What the provider's failed answers say beyond their status. */
  failureSignals: FailureSignals;
  /** What the provider's answers say about the account's usage windows, read on every answer. */
  quotaSignals?: QuotaSignals;
  /** The provider's OAuth login; undefined when it takes API keys only (openai). */
  login?: ProviderLogin;
  /**
   * Endings of a configured `baseUrl` that are part of the API path switchyard adds itself
   * (`/v1` for openai): configs written when baseUrl meant the SDK's base keep working.
   */
  apiPathSuffixes?: readonly string[];
}

/** Reads one family of rate-limit headers; undefined when the family is absent or says nothing. */
export type HeaderSignalReader = (headers: HeaderBag, now: number) => ResetSignal | undefined;

/**
 * Reads one documented error-body shape: `error` is the parsed error object, `body` the raw text
 * (for a documented message in a body too truncated to parse).
 */
export type BodySignalReader = (
  error: ErrorFields | undefined,
  now: number,
  body: string | undefined,
) => ResetSignal | undefined;

/**
 * The provider's own readers of a failed answer (a non-2xx answer, or an error event in a stream);
 * the router decides by status first and asks these only where the status leaves a question.
 * `retry-after` is HTTP's own and read by the router for every provider.
 */
export interface FailureSignals {
  /** Rate-limit header families, read on a 429, a 402, or a 4xx whose body says a quota is spent. */
  limitHeaders: readonly HeaderSignalReader[];
  /** Error bodies that say a limit or quota is reached (and maybe until when), read on any 4xx. */
  limitBodies: readonly BodySignalReader[];
  /** A 403 that means the login is gone (refresh, then needs-login) rather than a forbidden request. */
  isRevokedToken(error: ErrorFields | undefined): boolean;
  /** A 429 that is the provider's own lack of capacity, not the account's limit: retried like a 5xx. */
  isCapacityShortage?(error: ErrorFields | undefined): boolean;
}

/**
 * Readers of an account's usage windows. Headers come on every answer, a success or not, and before a
 * stream's body; a body reader sees only failed answers (Gemini speaks of its quotas only in a 429).
 */
export interface QuotaSignals {
  headers?(headers: HeaderBag, now: number): QuotaReading | undefined;
  error?(error: ErrorFields | undefined, now: number): QuotaReading | undefined;
}

export interface ResponseUnwrapper {
  body(text: string): string;
  /**
   * Unwraps a stream line by line, holding at most `maximumLineBytes` of an unfinished line: a
   * longer one goes on as it is, for the relay, which bounds events, to refuse.
   */
  stream(maximumLineBytes: number): Transform;
}
