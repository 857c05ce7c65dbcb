import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { RequestObserver } from '../router/router-observer.js';
import { answerFailure, type ErrorReport } from './error-boundary.js';
import { pathOf } from './fast-routes.js';
import { HttpError } from './http-error.js';
import { formatOfPath } from './route-table.js';

/** Which browsers may reach the server: config.yaml's `server.allowedHosts` and `server.allowedOrigins`. */
export interface BrowserPolicy {
  /** Host names (lower case, no port) besides loopback names and address literals. */
  allowedHosts: ReadonlySet<string>;
  /** Origins (`scheme://host[:port]`, lower case) whose pages may call the API, with CORS. */
  allowedOrigins: ReadonlySet<string>;
  /** `Host` values already accepted, as sent: one Set lookup per request instead of parsing each again. */
  acceptedHosts: Set<string>;
}

/** The policy for a server bound to `bindHost`: a name it was told to bind is one it answers to. */
export function browserPolicyOf(
  bindHost: string,
  settings: { allowedHosts?: readonly string[] | undefined; allowedOrigins?: readonly string[] | undefined },
): BrowserPolicy {
  const allowedHosts = new Set((settings.allowedHosts ?? []).map((host) => bareHost(host)));
  const bind = bareHost(bindHost);
  if (isIP(bind) === 0) allowedHosts.add(bind);
  return {
    allowedHosts,
    allowedOrigins: new Set((settings.allowedOrigins ?? []).map((origin) => origin.toLowerCase().replace(/\/$/, ''))),
    acceptedHosts: new Set(),
  };
}

/**
 * Keeps web pages out. A page the user opens can send requests to 127.0.0.1 (cross-site), and
 * through DNS rebinding a page on the attacker's name can even read the answers (same-origin,
 * name resolved to 127.0.0.1). So, on every route:
 * - the `Host` must be a loopback name, an address literal (rebinding needs a name the attacker
 *   controls; a literal can only be the address the browser really connected to), or configured;
 * - a request from a page (`Origin`, or `Sec-Fetch-Site` saying so) must come from the server's
 *   own origin or one configured, which gets CORS headers and its preflights answered;
 * - a body must be JSON by its `Content-Type` (the types a page can send without a preflight,
 *   text/plain, form data, multipart, are refused; none at all is read as JSON, as curl-like
 *   clients send it: a browser sending a typeless body also sends an `Origin`, checked above).
 * Refusals answer in the caller's API format (plain JSON on switchyard's own routes).
 */
export function withBrowserGuard(
  policy: BrowserPolicy,
  observer: RequestObserver | undefined,
  reportError: ErrorReport,
  next: RequestListener,
): RequestListener {
  return (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const headers = incoming.headers;
    const refusal = refusalOf(policy, incoming.method, headers);
    if (refusal === undefined) {
      const origin = headers.origin;
      if (origin !== undefined && policy.allowedOrigins.has(origin.toLowerCase())) {
        if (answerPreflight(incoming, outgoing, origin)) return;
        outgoing.setHeader('access-control-allow-origin', origin);
        outgoing.setHeader('access-control-expose-headers', exposedHeaders);
        outgoing.setHeader('vary', 'Origin');
      }
      next(incoming, outgoing);
      return;
    }
    const path = pathOf(incoming.url ?? '/');
    const format = formatOfPath(path);
    const error = new HttpError(refusal.status, refusal.message, refusal.code, format);
    if (format !== undefined)
      observer?.requestRefused({
        client: undefined,
        profile: undefined,
        format,
        path,
        status: refusal.status,
        code: refusal.code,
        startedAt: performance.now(),
      });
    // The body is not wanted; reading it off lets the connection carry the next request.
    incoming.resume();
    answerFailure(outgoing, error, format, `${incoming.method} ${path}`, reportError);
  };
}

/** What a page may read of an answer, beyond the CORS-safelisted headers. */
const exposedHeaders = 'x-switchyard-bucket, x-switchyard-attempts, retry-after';

interface Refusal {
  status: number;
  message: string;
  code: string;
}

function refusalOf(
  policy: BrowserPolicy,
  method: string | undefined,
  headers: IncomingHttpHeaders,
): Refusal | undefined {
  const host = headers.host;
  if (host !== undefined && !hostAllowed(policy, host)) {
    return {
      status: 403,
      message:
        `This switchyard does not answer to the host name "${clip(host)}": a web page could reach it under any ` +
        'name (DNS rebinding). Use 127.0.0.1 or localhost, or add the name to server.allowedHosts in config.yaml.',
      code: 'host_not_allowed',
    };
  }
  const origin = headers.origin;
  if (origin !== undefined) {
    if (!policy.allowedOrigins.has(origin.toLowerCase()) && !sameOrigin(origin, host)) {
      return {
        status: 403,
        message:
          `Requests from the web page at ${clip(origin)} are refused: a page the user opens must not spend ` +
          'the accounts. To allow that origin, add it to server.allowedOrigins in config.yaml.',
        code: 'origin_not_allowed',
      };
    }
  } else {
    const site = headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') {
      return {
        status: 403,
        message:
          'Requests from another web site are refused: a page the user opens must not spend the accounts. ' +
          'To allow a page, add its origin to server.allowedOrigins in config.yaml ' +
          "(the browser's Origin must be sent).",
        code: 'origin_not_allowed',
      };
    }
  }
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
    const type = headers['content-type'];
    if (type !== undefined && !isJsonType(type)) {
      return {
        status: 415,
        message: `Request bodies must be JSON: send "Content-Type: application/json" (this one was "${clip(type)}").`,
        code: 'unsupported_media_type',
      };
    }
  }
  return undefined;
}

/** Answers a CORS preflight from an allowed origin; false when the request is not one. */
function answerPreflight(incoming: IncomingMessage, outgoing: ServerResponse, origin: string): boolean {
  const asked = incoming.headers['access-control-request-method'];
  if (incoming.method !== 'OPTIONS' || asked === undefined) return false;
  const headers: Record<string, string> = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, PUT, DELETE',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
  const requestedHeaders = incoming.headers['access-control-request-headers'];
  if (requestedHeaders !== undefined) headers['access-control-allow-headers'] = requestedHeaders;
  incoming.resume();
  outgoing.writeHead(204, headers);
  outgoing.end();
  return true;
}

/** Host names that always mean this machine, besides address literals. */
const loopbackNames = new Set(['localhost']);

/** How many accepted header values are remembered, so that a client sending a new one each time costs no memory. */
const rememberedLimit = 256;

function remember(values: Set<string>, value: string): void {
  if (values.size < rememberedLimit) values.add(value);
}

function hostAllowed(policy: BrowserPolicy, host: string): boolean {
  if (policy.acceptedHosts.has(host)) return true;
  const name = bareHost(host);
  const allowed = loopbackNames.has(name) || isIP(name) !== 0 || policy.allowedHosts.has(name);
  if (allowed) remember(policy.acceptedHosts, host);
  return allowed;
}

/** `Example.COM:8790` -> `example.com`; `[::1]:8790` -> `::1`; a trailing dot dropped. */
function bareHost(host: string): string {
  let name = host.trim().toLowerCase();
  if (name.startsWith('[')) {
    const end = name.indexOf(']');
    name = end === -1 ? name.slice(1) : name.slice(1, end);
  } else {
    const colon = name.lastIndexOf(':');
    if (colon !== -1 && name.indexOf(':') === colon) name = name.slice(0, colon);
  }
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** A page served by this server itself (the dashboard), directly or through a TLS proxy in front. */
function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  const lower = origin.toLowerCase();
  const hostLower = host.toLowerCase();
  return lower === `http://${hostLower}` || lower === `https://${hostLower}`;
}

/** `application/json`, `application/json; charset=utf-8`, `application/vnd.x+json`. */
/** `Content-Type` values already read as JSON: the same few, from the same SDKs, on every request. */
const jsonTypes = new Set<string>();

function isJsonType(type: string): boolean {
  if (jsonTypes.has(type)) return true;
  const media = type.split(';', 1)[0]!.trim().toLowerCase();
  const json = media === 'application/json' || (media.startsWith('application/') && media.endsWith('+json'));
  if (json) remember(jsonTypes, type);
  return json;
}

/** Header values are the caller's: shown shortened. */
function clip(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}...` : value;
}
