import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { assertBucketName } from '../core/names.js';
import { providerParam } from './admin-routes.js';
import { requireAdminKey } from './client-auth.js';
import { HttpError } from './http-error.js';
import type { ServerContext } from './server-context.js';
import type { WebLogins, WebLoginView } from './web-logins.js';

interface LoginStart {
  bucket?: unknown;
  device?: unknown;
  loopback?: unknown;
  port?: unknown;
}

/**
 * `switchyard auth PROVIDER login BUCKET` from the dashboard: the server runs the CLI's flow, the
 * page opens its URL and, for a paste flow, sends back the `code#state` the provider's page shows.
 * Admin routes (the admin key when one is set); the browser guard keeps other sites' pages out.
 */
export function loginRoutes(server: ServerContext): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.post('/auth/:provider/login', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const provider = providerParam(c.req.param('provider'));
    const body = ((await c.req.json().catch(() => null)) ?? {}) as LoginStart;
    const bucket = typeof body.bucket === 'string' && body.bucket.trim() !== '' ? body.bucket.trim() : 'default';
    try {
      assertBucketName(bucket);
    } catch (error) {
      throw new HttpError(400, (error as Error).message, 'invalid_bucket_name', undefined);
    }
    const port = body.port === undefined || body.port === null || body.port === '' ? undefined : Number(body.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535))
      throw new HttpError(400, 'The callback port is a whole number from 0 to 65535.', 'invalid_port', undefined);
    const login = await logins(server).start({
      provider,
      bucket,
      device: body.device === true,
      loopback: body.loopback === true,
      port,
    });
    return c.json(answered(login), 201);
  });

  app.get('/auth/:provider/login/:id', (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    return c.json(known(logins(server).find(c.req.param('id'))), 200, { 'cache-control': 'no-store' });
  });

  app.post('/auth/:provider/login/:id/code', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const body = (await c.req.json().catch(() => null)) as { code?: unknown } | null;
    if (typeof body?.code !== 'string' || body.code.trim() === '')
      throw new HttpError(
        400,
        'Paste the code#state that the page shows after approving.',
        'invalid_login_code',
        undefined,
      );
    return c.json(answered(known(await logins(server).paste(c.req.param('id'), body.code.trim()))));
  });

  app.delete('/auth/:provider/login/:id', (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    return c.json(known(logins(server).cancel(c.req.param('id'))));
  });

  return app;
}

function logins(server: ServerContext): WebLogins {
  if (server.logins === undefined)
    throw new HttpError(
      501,
      'This server runs no logins: use switchyard auth PROVIDER login.',
      'login_unsupported',
      undefined,
    );
  return server.logins;
}

function known(login: WebLoginView | undefined): WebLoginView {
  if (login === undefined)
    throw new HttpError(
      404,
      'No such login here: it finished long ago, or the server restarted.',
      'unknown_login',
      undefined,
    );
  return login;
}

/** A login that failed is refused with its own message (the CLI's), so the page shows those words. */
function answered(login: WebLoginView): WebLoginView {
  if (login.state === 'failed')
    throw new HttpError(400, login.message ?? 'The login failed.', 'login_failed', undefined);
  return login;
}
