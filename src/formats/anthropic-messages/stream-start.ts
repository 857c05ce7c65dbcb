import { eventJson } from '../server-sent-events.js';
import type { ServerSentEvent, StartEventVerdict } from '../types.js';

function isPassedOver(type: string): boolean {
  return type === 'ping' || type === 'message_start';
}

/**
 * Pings and `message_start` carry no output, and an `overloaded_error` may still follow them, so
 * they are passed over; `event: error` is the stream's failure.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types
 */
export function classifyStartEvent(event: ServerSentEvent): StartEventVerdict {
  if (event.event !== undefined && isPassedOver(event.event)) return { kind: 'skip' };
  const json = eventJson(event);
  if (event.event === 'error' || json?.type === 'error') return { kind: 'error', error: json ?? event.data };
  if (event.event === undefined && typeof json?.type === 'string' && isPassedOver(json.type)) return { kind: 'skip' };
  return { kind: 'ok' };
}
