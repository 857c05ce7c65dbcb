import type { RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createApp } from './app.js';
import type { ServerContext } from './server-context.js';

/**
 * The Hono app as a node:http listener. startServer imports this module once it listens:
 * @hono/node-server builds on Node's own fetch classes, whose loading (undici inside Node, web
 * streams, worker_threads, zlib) cost `serve` tens of milliseconds before it could answer /health.
 */
export function appListener(context: ServerContext): RequestListener {
  return getRequestListener(createApp(context).fetch);
}
