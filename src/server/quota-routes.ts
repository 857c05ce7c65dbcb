import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { overageView, summarizePool, windowViews } from '../state/quota-summary.js';
import { requireClientKey } from './client-auth.js';
import type { ServerContext } from './server-context.js';

/** The pool's quota as the providers' answers describe it: per provider and window, and per bucket. */
export function quotaRoutes(server: ServerContext): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.get('/quota', (c) => {
    requireClientKey(server.clients, c.env.incoming.headers, undefined, undefined, server.adminKey);
    return c.json(quotaAnswer(server), 200, { 'cache-control': 'no-store' });
  });

  return app;
}

/** `GET /quota`: the pool's totals per provider and window, then each bucket's windows. */
export function quotaAnswer(server: ServerContext): {
  generatedAt: string;
  pool: ReturnType<typeof summarizePool>;
  buckets: unknown[];
} {
  const now = server.clock.now();
  const entries = [...(server.quota?.entries() ?? [])].sort(([left], [right]) => left.localeCompare(right));
  return {
    generatedAt: new Date(now).toISOString(),
    pool: summarizePool(entries, now),
    buckets: entries.map(([key, quota]) => {
      const slash = key.indexOf('/');
      return {
        key,
        provider: key.slice(0, slash),
        bucket: key.slice(slash + 1),
        windows: windowViews(quota, now),
        overage: overageView(quota),
        representativeClaim: quota.representativeClaim ?? null,
      };
    }),
  };
}
