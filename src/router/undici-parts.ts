/**
 * Internal: the two parts of undici the router uses, imported from their own modules. undici's
 * index also loads fetch, WebSocket, caches and mocks, about a sixth of the bundle, which
 * `switchyard serve` parsed and ran at every start without using any of it.
 */
import AgentClass from 'undici/lib/dispatcher/agent.js';
import errorClasses from 'undici/lib/core/errors.js';

export const Agent = AgentClass;
export const errors = errorClasses;
