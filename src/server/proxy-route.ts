import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientIdentity } from '../clients/client-directory.js';
import { isValidName } from '../core/names.js';
import type { WireFormat } from '../core/types.js';
import { readRequestShape } from '../formats/index.js';
import type { Chain } from '../profiles/types.js';
import { Cancellation } from '../router/cancellation.js';
import type { ProxyRequest } from '../router/proxy-request.js';
import { startRequestRecord } from '../router/request-record.js';
import { authenticateClient } from './client-auth.js';
import { admitRequest, authorizeProfile } from './client-authorization.js';
import { HttpError } from './http-error.js';
import { type JsonBody, readJsonBody } from './read-request-body.js';
import type { ServerContext } from './server-context.js';
import { sessionKeyOf } from './session-key.js';

export interface RouteTarget {
  /** Inbound path as the router and providers see it (without query). */
  path: string;
  /** Gemini names the model and streaming in the path. */
  pathModel?: string;
  pathStreams?: boolean;
}

/** The proxy itself, on node's request and response; errors before the first byte are thrown as HttpError. */
export async function proxyOnNode(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  server: ServerContext,
  format: WireFormat,
  target: RouteTarget,
): Promise<void> {
  const startedAt = performance.now();
  let client: ClientIdentity | undefined;
  let profile: string | undefined;
  let body: JsonBody | undefined;
  let chain: Chain;
  try {
    const queryStart = incoming.url?.indexOf('?') ?? -1;
    client = authenticateClient(
      server.clients,
      incoming.headers,
      queryStart >= 0 ? incoming.url?.slice(queryStart + 1) : undefined,
      format,
    );
    body = await readJsonBody(incoming, format, server.bodyLimitBytes);
    profile = profileNameFor(server, incoming.headers['x-switchyard-profile'], format);
    authorizeProfile(client, profile, format);
    // A profile resolved before is taken without a promise: the hot path.
    chain = server.profiles.cached(profile) ?? (await chainNamed(server, profile, format));
    admitRequest(client, server.clock, format);
  } catch (error) {
    if (server.observer !== undefined && error instanceof HttpError) {
      server.observer.requestRefused({
        client: client?.name,
        profile,
        format,
        path: target.path,
        status: error.status,
        code: error.code,
        startedAt,
      });
    }
    throw error;
  }
  const request = proxyRequestOf(incoming, outgoing, format, target, body, chain, client?.name, startedAt);
  // Not kept across the wait below: the router lets go of the body once an answer is committed, and a local
  // here would keep it (and its parsed form) alive for as long as a stream lasts.
  body = undefined;
  // A throw from here on reaches the error boundary, which cuts the connection if bytes were sent.
  await server.router.handle(request);
}

/** The router's request: the parsed body, the route and the client's side of the exchange. */
function proxyRequestOf(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  format: WireFormat,
  target: RouteTarget,
  body: JsonBody,
  chain: Chain,
  clientName: string | undefined,
  startedAt: number,
): ProxyRequest {
  const shape = readRequestShape(format, body.value, target.pathModel, target.pathStreams ?? false);
  const clientGone = new Cancellation();
  // 'close' comes once per response: `on` spares the wrapper `once` makes per request.
  outgoing.on('close', () => {
    if (!outgoing.writableFinished) clientGone.abort();
  });
  return {
    format,
    path: target.path,
    body: body.value,
    rawBody: body.text,
    clientModel: shape.model,
    stream: shape.stream,
    headers: incoming.headers,
    chain,
    // `balance` keeps every session on its bucket (prompt caches are per account), sticky or not.
    sessionKey: chain.sticky || chain.policy === 'balance' ? sessionKeyOf(incoming.headers, body.value) : undefined,
    response: outgoing,
    signal: clientGone,
    record: startRequestRecord(clientName, startedAt),
  };
}

/** The profile a request asks for (x-switchyard-profile), else the active one. */
export function profileNameFor(
  server: ServerContext,
  header: string | string[] | undefined,
  format: WireFormat,
): string {
  const requested = Array.isArray(header) ? header[0] : header;
  const name = requested ?? server.profiles.current;
  // A name whose chain is cached was checked when it was resolved.
  if (name !== undefined && server.profiles.cached(name) !== undefined) return name;
  if (name === undefined) {
    throw new HttpError(
      503,
      'No profile is active: start the server with --profile NAME, run ' +
        '`switchyard profile load NAME`, or send the x-switchyard-profile header.',
      'no_active_profile',
      format,
    );
  }
  if (!isValidName(name)) {
    throw new HttpError(
      400,
      `Invalid profile name "${name.slice(0, 80)}" in x-switchyard-profile: use 1-64 of A-Z a-z 0-9 . _ @ + -.`,
      'invalid_profile_name',
      format,
    );
  }
  return name;
}

export async function chainNamed(server: ServerContext, name: string, format: WireFormat): Promise<Chain> {
  const cached = server.profiles.cached(name);
  if (cached) return cached;
  try {
    return await server.profiles.chain(name);
  } catch (error) {
    const notFound = error instanceof Error && error.name === 'ProfileNotFoundError';
    const message = error instanceof Error ? error.message : String(error);
    throw new HttpError(
      notFound ? 404 : 400,
      message,
      notFound ? 'unknown_profile' : 'invalid_profile',
      format,
      {},
      { cause: error },
    );
  }
}
