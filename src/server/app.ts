import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context } from 'hono';
import type { WireFormat } from '../core/types.js';
import { adminRoutes } from './admin-routes.js';
import { HttpError } from './http-error.js';
import { modelsRoute } from './models-route.js';
import { operationsRoutes } from './operations-routes.js';
import { proxyOnNode, type RouteTarget } from './proxy-route.js';
import type { ServerContext } from './server-context.js';

type AppContext = Context<{ Bindings: HttpBindings }>;

/**
 * Handles one proxied request on the raw node objects: the body is read from the socket and the
 * answer is piped to it, with no web-stream conversion on the hot path.
 */
async function proxy(context: AppContext, server: ServerContext, format: WireFormat, target: RouteTarget): Promise<Response> {
  await proxyOnNode(context.env.incoming, context.env.outgoing, server, format, target);
  return RESPONSE_ALREADY_SENT;
}

/** Which wire format a path belongs to, so even a 404 answers in the caller's format. */
function formatOfPath(path: string): WireFormat | undefined {
  if (path.startsWith('/v1/messages')) return 'anthropic-messages';
  if (path.startsWith('/v1/chat/')) return 'openai-chat';
  if (path.startsWith('/v1/responses')) return 'openai-responses';
  if (path.startsWith('/v1beta/') || path.startsWith('/v1/models/')) return 'gemini';
  return undefined;
}

/** The switchyard HTTP app: inbound API routes, switchyard's own routes, and one error boundary. */
export function createApp(server: ServerContext): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.post('/v1/messages', (c) => proxy(c, server, 'anthropic-messages', { path: '/v1/messages' }));
  app.post('/v1/messages/count_tokens', (c) => proxy(c, server, 'anthropic-messages', { path: '/v1/messages/count_tokens' }));
  app.post('/v1/chat/completions', (c) => proxy(c, server, 'openai-chat', { path: '/v1/chat/completions' }));
  app.post('/v1/responses', (c) => proxy(c, server, 'openai-responses', { path: '/v1/responses' }));
  const gemini = (c: AppContext) => {
    const [model, method] = splitGeminiTarget(c.req.param('target') ?? '');
    if (method !== 'generateContent' && method !== 'streamGenerateContent') {
      throw new HttpError(404, `Unsupported Gemini method "${method}": use generateContent or streamGenerateContent.`, 'unsupported_method', 'gemini');
    }
    return proxy(c, server, 'gemini', { path: `/v1beta/models/${model}:${method}`, pathModel: model, pathStreams: method === 'streamGenerateContent' });
  };
  app.post('/v1beta/models/:target', gemini);
  app.post('/v1/models/:target', gemini);
  app.get('/v1/models', (c) => modelsRoute(c, server));

  app.route('/', adminRoutes(server));
  app.route('/', operationsRoutes(server));

  app.notFound((c) => {
    const error = new HttpError(404, `No route for ${c.req.method} ${c.req.path}.`, 'not_found', formatOfPath(c.req.path));
    return c.body(error.render(), 404, { 'content-type': 'application/json' });
  });

  app.onError((error, c) => {
    const httpError =
      error instanceof HttpError
        ? error
        : new HttpError(500, 'switchyard hit an internal error; the request was not completed.', 'internal_error', formatOfPath(c.req.path), {}, { cause: error });
    if (!(error instanceof HttpError)) process.emitWarning(`switchyard internal error on ${c.req.method} ${c.req.path}: ${error.name}`);
    return c.body(httpError.render(), httpError.status as 400, { 'content-type': 'application/json', ...httpError.headers });
  });

  return app;
}

/** `gemini-2.5-pro:streamGenerateContent` -> [model, method]. */
function splitGeminiTarget(target: string): [string, string] {
  const colon = target.lastIndexOf(':');
  return colon === -1 ? [target, ''] : [target.slice(0, colon), target.slice(colon + 1)];
}
