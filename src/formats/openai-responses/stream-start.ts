import { eventJson } from '../server-sent-events.js';
import type { ServerSentEvent, StartEventVerdict } from '../types.js';

/**
 * Events that open every response before any output: the lifecycle envelope, and the Codex
 * backend's `codex.rate_limits` / `codex.response.metadata`. A failure (`response.failed`,
 * e.g. Codex's in-stream `rate_limit_exceeded`) comes after them, so they are passed over.
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 */
function isEnvelope(type: string): boolean {
  return (
    type === 'response.created' ||
    type === 'response.in_progress' ||
    type === 'response.queued' ||
    type.startsWith('codex.')
  );
}

/** `error` and `response.failed` are the stream's failure. */
export function classifyStartEvent(event: ServerSentEvent): StartEventVerdict {
  // Named envelopes are passed over unparsed: they echo the instructions and tools, often many KB.
  if (event.event !== undefined && isEnvelope(event.event)) return { kind: 'skip' };
  const json = eventJson(event);
  const type = typeof json?.type === 'string' ? json.type : event.event;
  if (type === 'error' || type === 'response.failed' || event.event === 'error')
    return { kind: 'error', error: json ?? event.data };
  if (type !== undefined && isEnvelope(type)) return { kind: 'skip' };
  return { kind: 'ok' };
}
