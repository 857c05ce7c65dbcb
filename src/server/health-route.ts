import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ServerContext } from './server-context.js';

/** What GET /health answers: liveness, version, the active profile and where state lives. */
export function healthOf(server: ServerContext) {
  return {
    status: 'ok',
    version: server.version,
    profile: server.profiles.current ?? null,
    uptimeSeconds: Math.round((server.clock.now() - server.startedAt) / 1000),
    state: server.stateHealth?.() ?? { backend: 'embedded' },
  };
}

/**
 * Answers GET /health on node's own objects, as the Hono app's route does, so that a server
 * answers it as soon as it listens, before the app (loaded afterwards) is ready. Anything else,
 * and a health check that throws, goes on to `next`, whose error boundary renders it.
 */
export function withHealthRoute(server: ServerContext, next: RequestListener): RequestListener {
  return (incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (incoming.method !== 'GET' || !isHealthPath(incoming.url)) {
      next(incoming, outgoing);
      return;
    }
    let body: string;
    try {
      body = JSON.stringify(healthOf(server));
    } catch {
      next(incoming, outgoing);
      return;
    }
    outgoing.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    outgoing.end(body);
  };
}

function isHealthPath(url: string | undefined): boolean {
  return url === '/health' || url?.startsWith('/health?') === true;
}
