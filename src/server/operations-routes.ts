import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { requireAdminKey } from './client-auth.js';
import type { ServerContext } from './server-context.js';

/** Routes for the people running the pool: Prometheus metrics and per-client statistics. */
export function operationsRoutes(server: ServerContext): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.get('/metrics', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    return c.body(await server.metrics.render(), 200, { 'content-type': server.metrics.contentType });
  });

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
