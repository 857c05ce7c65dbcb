import { isRecord } from '../../core/json.js';
import { eventJson } from '../server-sent-events.js';
import type { ServerSentEvent, StartEventVerdict } from '../types.js';

/** Delta fields that say nothing yet: the role, and empty content or refusal. */
function isEmptyDeltaField(name: string, value: unknown): boolean {
  return name === 'role' || value === null || value === '';
}

/**
 * A chunk with no output yet: the opening `{"role":"assistant","content":""}` delta, or Azure's
 * `choices: []` chunk of prompt filter results.
 */
function isPreamble(chunk: Record<string, unknown>): boolean {
  const choices = chunk.choices;
  if (!Array.isArray(choices) || isRecord(chunk.usage)) return false;
  return choices.every((choice: unknown) => {
    if (!isRecord(choice) || (choice.finish_reason !== undefined && choice.finish_reason !== null)) return false;
    const delta = choice.delta;
    return (
      delta === undefined ||
      (isRecord(delta) && Object.entries(delta).every(([name, value]) => isEmptyDeltaField(name, value)))
    );
  });
}

/**
 * A data chunk holding `error` is the stream's failure; the opening chunk without output is passed
 * over, so that an error right after it can still fail over.
 * @see https://platform.openai.com/docs/api-reference/chat-streaming
 */
export function classifyStartEvent(event: ServerSentEvent): StartEventVerdict {
  const json = eventJson(event);
  if (json === undefined) return { kind: 'ok' };
  if (json.error !== undefined && json.error !== null) return { kind: 'error', error: json };
  return isPreamble(json) ? { kind: 'skip' } : { kind: 'ok' };
}
