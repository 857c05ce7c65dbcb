import type { IncomingHttpHeaders } from 'node:http';
import type { Credential, WireFormat } from '../core/types.js';
import { renderError } from '../formats/index.js';
import { type TranslatedRequest, translateErrorAnswer } from '../formats/translate-exchange.js';
import type { Target } from '../profiles/types.js';
import { errorBodyLimitBytes } from './read-body.js';

/**
 * A provider's own error answer that is the client's to read (a bad request, say) is relayed,
 * but only what a client needs of it: the headers that say when to retry and which request it
 * was, and a body that never carries the bucket's credential, even when the upstream echoes it.
 */

/** Headers of an upstream error answer that clients use; nothing else is relayed (no cookies, no internal hosts). */
const relayedNames = new Set([
  'content-type',
  'retry-after',
  'retry-after-ms',
  'request-id',
  'x-request-id',
  'openai-processing-ms',
  'openai-version',
  'x-should-retry',
]);
/** Rate-limit and quota headers, by the families the providers use. */
const relayedPrefixes = ['x-ratelimit-', 'anthropic-ratelimit-', 'x-codex-'];

/** What replaces a bucket's credential that an upstream echoed back. */
export const credentialPlaceholder = '[credential removed]';

/** Shorter strings are not searched for: a short credential would also match ordinary words. */
const shortestSecret = 8;

export function isRelayedErrorHeader(name: string): boolean {
  return relayedNames.has(name) || relayedPrefixes.some((prefix) => name.startsWith(prefix));
}

/** Every way the credential sent upstream could come back in an answer: as sent, JSON-escaped, URL-encoded. */
export function secretsOf(credential: Credential, usedAccessToken?: string): string[] {
  const sent = credential.kind === 'oauth' ? [credential.accessToken] : [credential.apiKey];
  if (usedAccessToken !== undefined && !sent.includes(usedAccessToken)) sent.push(usedAccessToken);
  const forms = new Set<string>();
  for (const secret of sent) {
    if (secret.length < shortestSecret) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  return [...forms];
}

/** `text` with every form of every secret replaced by credentialPlaceholder. */
export function withoutSecrets(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) if (clean.includes(secret)) clean = clean.replaceAll(secret, credentialPlaceholder);
  return clean;
}

/** The relayed headers of an upstream error answer, their values cleared of the credential. */
export function relayedErrorHeaders(
  upstream: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
  secrets: readonly string[],
): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || !isRelayedErrorHeader(name)) continue;
    headers[name] = Array.isArray(value)
      ? value.map((item) => withoutSecrets(item, secrets))
      : withoutSecrets(value, secrets);
  }
  return headers;
}

export interface UpstreamError {
  status: number;
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>;
  /** At most errorBodyLimitBytes of the body. */
  text: string;
  /** The body went on beyond what was read. */
  truncated: boolean;
}

/**
 * The head and body to send the client for a provider's error answer: as the provider sent it
 * (translated when the client speaks another format), without the credential; a body cut at the
 * limit is not relayed (it would be invalid JSON): a well-formed error in the caller's format says so.
 */
export function relayedErrorAnswer(
  clientFormat: WireFormat,
  target: Target,
  upstream: UpstreamError,
  secrets: readonly string[],
  translation: TranslatedRequest | undefined,
): { headers: Record<string, string | string[]>; body: string } {
  const headers = relayedErrorHeaders(upstream.headers, secrets);
  let body: string;
  if (upstream.truncated) {
    body = renderError(clientFormat, {
      status: upstream.status,
      message:
        `${target.key} answered ${upstream.status} with an error body over ` +
        `${errorBodyLimitBytes / 1024} KiB, too large to relay; ask again, or see the provider's status.`,
      code: 'upstream_error_too_large',
    });
  } else {
    const clean = withoutSecrets(upstream.text, secrets);
    body = translation ? translateErrorAnswer(translation.format, clientFormat, upstream.status, clean) : clean;
  }
  if (upstream.truncated || translation) headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(body));
  return { headers, body };
}
