import type { IncomingHttpHeaders } from 'node:http';

/** Headers that describe one hop, or that switchyard sets itself, are not copied from upstream. */
const notRelayed = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'proxy-authenticate',
  'proxy-connection',
  'trailer',
  'upgrade',
  'te',
  'set-cookie',
  'date',
  'server',
  'alt-svc',
]);

/** Copies the upstream answer's headers worth passing on to the client. */
export function relayedHeaders(
  upstream: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || notRelayed.has(name)) continue;
    headers[name] = value;
  }
  return headers;
}

export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
