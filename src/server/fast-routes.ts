import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { answerFailure } from './error-boundary.js';
import { type NodeRoute, nodeRoutes } from './route-table.js';
import type { ServerContext } from './server-context.js';

/** The route table by method, then path: one Map lookup per request. */
const routesByMethod = new Map<string, Map<string, NodeRoute>>();
for (const route of nodeRoutes) {
  const paths = routesByMethod.get(route.method) ?? new Map<string, NodeRoute>();
  routesByMethod.set(route.method, paths);
  paths.set(route.path, route);
}
// Node answers a HEAD as the GET without its body.
routesByMethod.set('HEAD', routesByMethod.get('GET') ?? new Map());

/**
 * Sends requests for the route table's fixed paths straight to their handlers on node's own
 * objects, skipping Hono's request wrapping (measurable at tens of thousands of requests a second)
 * and answering /health before the Hono app has loaded; the rest goes to `fallback` (the app).
 */
export function withFastRoutes(server: ServerContext, fallback: RequestListener): RequestListener {
  return (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const url = incoming.url;
    const paths = incoming.method === undefined ? undefined : routesByMethod.get(incoming.method);
    if (paths !== undefined && url !== undefined) {
      const route = paths.get(pathOf(url));
      if (route) {
        answer(route, incoming, outgoing, server);
        return;
      }
    }
    fallback(incoming, outgoing);
  };
}

/**
 * The path of a request-target: origin-form (`/v1/messages?beta=true`) as it is, without its
 * query, and absolute-form (`http://127.0.0.1:8790/health`, as some proxies send it) without its
 * scheme and authority, so that such requests are answered here too. (Through Hono, a HEAD on a
 * route answered on node's own response would be written twice by @hono/node-server.)
 */
export function pathOf(url: string): string {
  let start = 0;
  if (url.charCodeAt(0) !== slash) {
    const authority = url.indexOf('://');
    if (authority === -1) return url;
    start = url.indexOf('/', authority + 3);
    if (start === -1) return '/';
  }
  const queryStart = url.indexOf('?', start);
  if (start === 0) return queryStart === -1 ? url : url.slice(0, queryStart);
  return url.slice(start, queryStart === -1 ? undefined : queryStart);
}

const slash = 47;

/** Runs a route's handler with the error boundary around it, sync throw or rejection alike. */
export function answer(
  route: NodeRoute,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  server: ServerContext,
): Promise<void> | undefined {
  const fail = (error: unknown) =>
    answerFailure(outgoing, error, route.format, `${route.method} ${route.path}`, server.reportError);
  try {
    const pending = route.handle(incoming, outgoing, server);
    return pending?.catch(fail);
  } catch (error) {
    fail(error);
    return undefined;
  }
}
