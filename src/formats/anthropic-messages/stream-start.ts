import { eventJson } from '../server-sent-events.js';
import type { ServerSentEvent, StartEventVerdict } from '../types.js';

/**
 * Pings and `message_start` carry no output, and an `overloaded_error` may still follow them, so
 * they are passed over; `event: error` is the stream's failure.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types
 */
export function classifyStartEvent(event: ServerSentEvent): StartEventVerdict {
  const json = eventJson(event);
  const type = event.event ?? json?.type;
  if (type === 'ping' || type === 'message_start') return { kind: 'skip' };
  if (type === 'error' || json?.type === 'error') return { kind: 'error', error: json ?? event.data };
  return { kind: 'ok' };
}
