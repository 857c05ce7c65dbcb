import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { dashboardContentPolicy, dashboardPage } from '../dashboard/dashboard-page.js';
import { requireAdminKey } from './client-auth.js';
import { DashboardAssets } from './dashboard-assets.js';
import { dashboardDataRoutes } from './dashboard-data-routes.js';
import { HttpError } from './http-error.js';
import { poolSnapshot } from './pool-snapshot.js';
import type { ServerContext } from './server-context.js';

/** Routes for the people running the pool: metrics, the dashboard and per-client statistics. */
export function operationsRoutes(server: ServerContext): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  const assets = new DashboardAssets();

  app.get('/metrics', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const { contentType, text } = await server.metrics.render();
    return c.body(text, 200, { 'content-type': contentType });
  });

  // The page carries no data, so it needs no key; it asks for one when /dashboard/data refuses.
  app.get('/dashboard', (c) =>
    c.html(dashboardPage, 200, {
      'content-security-policy': dashboardContentPolicy,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    }),
  );

  // The page's script, styles and chart library: code, no data, so no key (as the page itself).
  app.get('/dashboard/assets/:name', async (c) => {
    const asset = assets.get(c.req.param('name'));
    if (asset === undefined)
      throw new HttpError(404, `No dashboard asset "${c.req.param('name').slice(0, 80)}".`, 'not_found', undefined);
    const { body, contentType } = await asset;
    return c.body(new Uint8Array(body), 200, {
      'content-type': contentType,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
  });

  app.get('/dashboard/data', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    return c.json(await poolSnapshot(server), 200, { 'cache-control': 'no-store' });
  });

  app.route('/', dashboardDataRoutes(server));

  app.get('/stats/clients', (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const clients = server.clientStatistics.snapshot().map((client) => ({
      ...client,
      lastUsed: client.lastUsed === null ? null : new Date(client.lastUsed).toISOString(),
    }));
    return c.json({ generatedAt: new Date(server.clock.now()).toISOString(), clients });
  });

  return app;
}
