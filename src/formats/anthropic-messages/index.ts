import { countField, objectField, parseJsonObject } from '../numbers.js';
import { eventJson, sseEvent } from '../server-sent-events.js';
import type { ErrorDescription, FormatCodec, ServerSentEvent, Usage } from '../types.js';

/** @see https://docs.anthropic.com/en/api/errors */
export function anthropicErrorType(status: number): string {
  if (status === 400) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'billing_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

function errorObject(error: ErrorDescription): Record<string, unknown> {
  return { type: anthropicErrorType(error.status), message: error.message, ...(error.code ? { code: error.code } : {}), ...error.details };
}

/** Anthropic Messages. @see https://docs.anthropic.com/en/api/messages-streaming */
export const anthropicMessages: FormatCodec = {
  renderError: (error) => JSON.stringify({ type: 'error', error: errorObject(error) }),
  renderStreamError: (error) => sseEvent('error', { type: 'error', error: errorObject(error) }),
  isErrorEvent(event: ServerSentEvent) {
    if (event.event === 'ping') return { real: false };
    const json = eventJson(event);
    if (json?.type === 'ping') return { real: false };
    if (event.event === 'error' || json?.type === 'error') return { real: true, error: json ?? event.data };
    return { real: true };
  },
  readUsage(body: string): Usage {
    const usage = objectField(parseJsonObject(body), 'usage');
    return { inputTokens: countField(usage, 'input_tokens'), outputTokens: countField(usage, 'output_tokens') };
  },
  usageMarker: '"usage"',
  applyStreamUsage(event, usage) {
    const json = eventJson(event);
    if (!json) return;
    if (json.type === 'message_start') {
      const start = objectField(objectField(json, 'message'), 'usage');
      usage.inputTokens = countField(start, 'input_tokens');
      usage.outputTokens = countField(start, 'output_tokens');
    } else if (json.type === 'message_delta') {
      const delta = objectField(json, 'usage');
      // message_delta carries cumulative counts; input appears there too in newer API versions.
      if (delta && 'output_tokens' in delta) usage.outputTokens = countField(delta, 'output_tokens');
      if (delta && 'input_tokens' in delta && countField(delta, 'input_tokens') > 0) usage.inputTokens = countField(delta, 'input_tokens');
    }
  },
};
