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
      const queryStart = url.indexOf('?');
      const route = paths.get(queryStart === -1 ? url : url.slice(0, queryStart));
      if (route) {
        answer(route, incoming, outgoing, server);
        return;
      }
    }
    fallback(incoming, outgoing);
  };
}

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
