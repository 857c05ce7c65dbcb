import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { type Context, Hono } from 'hono';
import { ownErrorAnswer } from '../router/response-writer.js';
import { adminRoutes } from './admin-routes.js';
import { bucketControlRoutes } from './bucket-control-routes.js';
import { failureAnswer } from './error-boundary.js';
import { answer } from './fast-routes.js';
import { HttpError } from './http-error.js';
import { loginRoutes } from './login-routes.js';
import { modelsRoute } from './models-route.js';
import { operationsRoutes } from './operations-routes.js';
import { profileEditingRoutes } from './profile-editing-routes.js';
import { profileManagementRoutes } from './profile-management-routes.js';
import { proxyOnNode } from './proxy-route.js';
import { quotaRoutes } from './quota-routes.js';
import { formatOfPath, geminiRoutePaths, nodeRoutes } from './route-table.js';
import type { ServerContext } from './server-context.js';

type AppContext = Context<{ Bindings: HttpBindings }>;

/** The HTTP app: the route table, Gemini's model-in-path routes, switchyard's own routes, the error boundary. */
export function createApp(server: ServerContext): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();

  // The fast path answers these before Hono sees them; registered from the same table for requests it does not match.
  for (const route of nodeRoutes) {
    app.on(route.method, route.path, async (c) => {
      await answer(route, c.env.incoming, c.env.outgoing, server);
      return RESPONSE_ALREADY_SENT;
    });
  }
  const gemini = async (c: AppContext) => {
    const [model, method] = splitGeminiTarget(c.req.param('target') ?? '');
    if (method !== 'generateContent' && method !== 'streamGenerateContent') {
      throw new HttpError(
        404,
        `Unsupported Gemini method "${method}": use generateContent or streamGenerateContent.`,
        'unsupported_method',
        'gemini',
      );
    }
    const target = {
      path: `/v1beta/models/${model}:${method}`,
      pathModel: model,
      pathStreams: method === 'streamGenerateContent',
    };
    await proxyOnNode(c.env.incoming, c.env.outgoing, server, 'gemini', target);
    return RESPONSE_ALREADY_SENT;
  };
  for (const path of geminiRoutePaths) app.post(path, gemini);
  app.get('/v1/models', (c) => modelsRoute(c, server));

  app.route('/', adminRoutes(server));
  app.route('/', profileEditingRoutes(server));
  app.route('/', operationsRoutes(server));
  app.route('/', quotaRoutes(server));
  app.route('/', bucketControlRoutes(server));
  app.route('/', loginRoutes(server));
  app.route('/', profileManagementRoutes(server));

  // Rendered by the response writer and the error boundary, sent by Hono (whose HEAD handling must see the answer).
  app.notFound((c) => {
    const answer = ownErrorAnswer(formatOfPath(c.req.path), {
      status: 404,
      message: `No route for ${c.req.method} ${c.req.path}.`,
      code: 'not_found',
    });
    return c.body(answer.body, answer.status as 404, answer.headers);
  });

  app.onError((error, c) => {
    const answer = failureAnswer(error, formatOfPath(c.req.path), `${c.req.method} ${c.req.path}`, server.reportError);
    return c.body(answer.body, answer.status as 500, answer.headers);
  });

  return app;
}

/** `gemini-2.5-pro:streamGenerateContent` -> [model, method]. */
function splitGeminiTarget(target: string): [string, string] {
  const colon = target.lastIndexOf(':');
  return colon === -1 ? [target, ''] : [target.slice(0, colon), target.slice(colon + 1)];
}
