/**
 * Internal: undici's connection agent, imported from its own module. undici's index also loads
 * fetch, WebSocket, caches and mocks, about a sixth of the bundle, which `switchyard serve`
 * parsed and ran at every start without using any of it. Even the agent alone (with node:tls)
 * takes about a tenth of the start-up, so UpstreamClient imports this module only when it makes
 * its agent, after the server listens. A private path: package.json pins undici to an exact
 * version (see scripts/bundle.mjs).
 */
import AgentClass from 'undici/lib/dispatcher/agent.js';

export const Agent = AgentClass;
