import { countField, objectField, parseJsonObject } from '../numbers.js';
import { eventJson, sseEvent } from '../server-sent-events.js';
import type { ErrorDescription, FormatCodec, Usage } from '../types.js';

/** @see https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes */
export function googleStatus(status: number): string {
  if (status === 400) return 'INVALID_ARGUMENT';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'INVALID_ARGUMENT';
  if (status === 429) return 'RESOURCE_EXHAUSTED';
  if (status === 503 || status === 529) return 'UNAVAILABLE';
  if (status === 504) return 'DEADLINE_EXCEEDED';
  if (status >= 500) return 'INTERNAL';
  return 'FAILED_PRECONDITION';
}

function errorObject(error: ErrorDescription): Record<string, unknown> {
  const details: unknown[] = [];
  if (error.code) {
    details.push({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: error.code.toUpperCase(), domain: 'switchyard' });
  }
  return { code: error.status, message: error.message, status: googleStatus(error.status), details, ...error.details };
}

function usageOf(json: Record<string, unknown> | undefined): Usage {
  const usage = objectField(json, 'usageMetadata');
  return { inputTokens: countField(usage, 'promptTokenCount'), outputTokens: countField(usage, 'candidatesTokenCount') };
}

/** Gemini generateContent / streamGenerateContent?alt=sse. */
export const gemini: FormatCodec = {
  renderError: (error) => JSON.stringify({ error: errorObject(error) }),
  renderStreamError: (error) => sseEvent(undefined, { error: errorObject(error) }),
  isErrorEvent(event) {
    const json = eventJson(event);
    if (json && 'error' in json && json.error) return { real: true, error: json };
    return { real: true };
  },
  readUsage: (body) => usageOf(parseJsonObject(body)),
  usageMarker: 'usageMetadata',
  applyStreamUsage(event, usage) {
    const found = usageOf(eventJson(event));
    // Each chunk repeats the running totals; the last one holds the final counts.
    if (found.inputTokens > 0) usage.inputTokens = found.inputTokens;
    if (found.outputTokens > 0) usage.outputTokens = found.outputTokens;
  },
};
