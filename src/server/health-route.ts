import type { ServerResponse } from 'node:http';
import { writeWhole } from '../router/response-writer.js';
import type { ServerContext } from './server-context.js';

/** What GET /health answers: liveness, version, the active profile and where state lives. */
function healthOf(server: ServerContext) {
  return {
    status: 'ok',
    version: server.version,
    profile: server.profiles.current ?? null,
    uptimeSeconds: Math.round((server.clock.now() - server.startedAt) / 1000),
    state: server.stateHealth?.() ?? { backend: 'embedded' },
  };
}

/** Answers GET /health on node's own objects: a server answers it as soon as it listens, before the app loads. */
export function answerHealth(outgoing: ServerResponse, server: ServerContext): void {
  const body = JSON.stringify(healthOf(server));
  writeWhole(outgoing, 200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }, body);
}
