import type { IncomingHttpHeaders } from 'node:http';
import type { SimulatedFormat } from './types.js';

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization === undefined) return undefined;
  return /^bearer\s+/i.test(authorization) ? authorization.replace(/^bearer\s+/i, '') : undefined;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The credential a request presents, where its provider expects it: Anthropic `x-api-key` or
 * bearer; Gemini `x-goog-api-key`, bearer or `?key=`; OpenAI-style bearer.
 */
export function presentedCredential(
  format: SimulatedFormat,
  headers: IncomingHttpHeaders,
  query: URLSearchParams | undefined,
): string | undefined {
  switch (format) {
    case 'anthropic':
      return single(headers['x-api-key']) ?? bearer(headers);
    case 'gemini':
      return single(headers['x-goog-api-key']) ?? bearer(headers) ?? query?.get('key') ?? undefined;
    case 'chat':
    case 'responses':
      return bearer(headers);
  }
}
