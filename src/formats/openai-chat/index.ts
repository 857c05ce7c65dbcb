import { countField, objectField, parseJsonObject } from '../numbers.js';
import { eventJson, sseEvent } from '../server-sent-events.js';
import type { ErrorDescription, FormatCodec, Usage } from '../types.js';

/** @see https://platform.openai.com/docs/guides/error-codes */
export function openaiErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_exceeded';
  if (status === 402) return 'insufficient_quota';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export function openaiErrorObject(error: ErrorDescription): Record<string, unknown> {
  return { message: error.message, type: openaiErrorType(error.status), param: null, code: error.code ?? null, ...error.details };
}

/** OpenAI Chat Completions. @see https://platform.openai.com/docs/api-reference/chat/streaming */
export const openaiChat: FormatCodec = {
  renderError: (error) => JSON.stringify({ error: openaiErrorObject(error) }),
  // The SDK raises an APIError for a data chunk that carries `error`.
  renderStreamError: (error) => sseEvent(undefined, { error: openaiErrorObject(error) }),
  isErrorEvent(event) {
    const json = eventJson(event);
    if (json && 'error' in json && json.error) return { real: true, error: json };
    return { real: true };
  },
  readUsage(body: string): Usage {
    const usage = objectField(parseJsonObject(body), 'usage');
    return { inputTokens: countField(usage, 'prompt_tokens'), outputTokens: countField(usage, 'completion_tokens') };
  },
  usageMarker: '"usage":{',
  applyStreamUsage(event, usage) {
    const found = objectField(eventJson(event), 'usage');
    if (!found) return;
    usage.inputTokens = countField(found, 'prompt_tokens');
    usage.outputTokens = countField(found, 'completion_tokens');
  },
};
