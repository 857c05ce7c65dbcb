import type { IncomingHttpHeaders } from 'node:http';

/** The key a client presented, in any of the places SDKs put one. */
export function presentedClientKey(headers: IncomingHttpHeaders, query: string | undefined): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.toLowerCase().startsWith('bearer '))
    return authorization.slice(7).trim();
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string') return apiKey;
  const googleKey = headers['x-goog-api-key'];
  if (typeof googleKey === 'string') return googleKey;
  if (query) {
    const key = new URLSearchParams(query).get('key');
    if (key) return key;
  }
  return undefined;
}
