import { isRecord } from '../../core/json.js';
import { eventJson } from '../server-sent-events.js';
import type { ServerSentEvent, StartEventVerdict } from '../types.js';

/** A data chunk holding `error` is the stream's failure; every other chunk carries output. */
export function classifyStartEvent(event: ServerSentEvent): StartEventVerdict {
  const json = eventJson(event);
  if (json !== undefined && isRecord(json.error)) return { kind: 'error', error: json };
  return { kind: 'ok' };
}
