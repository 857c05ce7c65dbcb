import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WireFormat } from '../core/types.js';
import { answerHealth } from './health-route.js';
import { proxyOnNode, type RouteTarget } from './proxy-route.js';
import type { ServerContext } from './server-context.js';

/** A route answered on node's own request and response, by the fast path and by the Hono app alike. */
export interface NodeRoute {
  method: 'GET' | 'POST';
  path: string;
  /** The caller's wire format, so that even an internal error answers in it. */
  format: WireFormat | undefined;
  /** Answers the request; a throw or a rejection goes to the error boundary. */
  handle(incoming: IncomingMessage, outgoing: ServerResponse, server: ServerContext): Promise<void> | void;
}

function proxyRoute(path: string, format: WireFormat): NodeRoute {
  const target: RouteTarget = { path };
  return {
    method: 'POST',
    path,
    format,
    handle: (incoming, outgoing, server) => proxyOnNode(incoming, outgoing, server, format, target),
  };
}

/**
 * Every route with a fixed path that is answered on node's objects: the API paths and /health.
 * The fast path finds them with a Map lookup before Hono is even loaded; the Hono app registers
 * the same entries, so a request Hono sees (an absolute-form URL, say) is answered alike.
 */
export const nodeRoutes: readonly NodeRoute[] = [
  proxyRoute('/v1/messages', 'anthropic-messages'),
  proxyRoute('/v1/messages/count_tokens', 'anthropic-messages'),
  proxyRoute('/v1/chat/completions', 'openai-chat'),
  proxyRoute('/v1/responses', 'openai-responses'),
  {
    method: 'GET',
    path: '/health',
    format: undefined,
    handle: (_incoming, outgoing, server) => answerHealth(outgoing, server),
  },
];

/** Gemini names the model and the method in the path: these patterns are matched by Hono's router. */
export const geminiRoutePaths = ['/v1beta/models/:target', '/v1/models/:target'] as const;

/** Which wire format a path belongs to, so even a 404 answers in the caller's format. */
export function formatOfPath(path: string): WireFormat | undefined {
  if (path.startsWith('/v1/messages')) return 'anthropic-messages';
  if (path.startsWith('/v1/chat/')) return 'openai-chat';
  if (path.startsWith('/v1/responses')) return 'openai-responses';
  if (path.startsWith('/v1beta/') || path.startsWith('/v1/models/')) return 'gemini';
  return undefined;
}
