import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { WireFormat } from '../core/types.js';
import { HttpError } from './http-error.js';
import { proxyOnNode, type RouteTarget } from './proxy-route.js';
import type { ServerContext } from './server-context.js';

/** The fixed API paths; Gemini's model-in-path routes and everything else go through Hono. */
const fixedRoutes = new Map<string, [WireFormat, RouteTarget]>([
  ['/v1/messages', ['anthropic-messages', { path: '/v1/messages' }]],
  ['/v1/messages/count_tokens', ['anthropic-messages', { path: '/v1/messages/count_tokens' }]],
  ['/v1/chat/completions', ['openai-chat', { path: '/v1/chat/completions' }]],
  ['/v1/responses', ['openai-responses', { path: '/v1/responses' }]],
]);

/**
 * Sends POSTs to the fixed API paths straight to the proxy, skipping Hono's request wrapping
 * (measurable at tens of thousands of requests a second); the rest goes to the Hono app.
 * Errors are rendered exactly as the app's error boundary renders them.
 */
export function withFastRoutes(server: ServerContext, fallback: RequestListener): RequestListener {
  return (incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (incoming.method === 'POST' && incoming.url !== undefined) {
      const queryStart = incoming.url.indexOf('?');
      const route = fixedRoutes.get(queryStart === -1 ? incoming.url : incoming.url.slice(0, queryStart));
      if (route) {
        proxyOnNode(incoming, outgoing, server, route[0], route[1]).catch((error: unknown) => renderFailure(outgoing, error, route[0]));
        return;
      }
    }
    fallback(incoming, outgoing);
  };
}

function renderFailure(outgoing: ServerResponse, error: unknown, format: WireFormat): void {
  if (outgoing.headersSent) {
    outgoing.destroy();
    return;
  }
  const httpError =
    error instanceof HttpError
      ? error
      : new HttpError(500, 'switchyard hit an internal error; the request was not completed.', 'internal_error', format, {}, { cause: error });
  if (!(error instanceof HttpError)) process.emitWarning(`switchyard internal error: ${error instanceof Error ? error.name : 'unknown'}`);
  outgoing.writeHead(httpError.status, { 'content-type': 'application/json', ...httpError.headers });
  outgoing.end(httpError.render());
}
