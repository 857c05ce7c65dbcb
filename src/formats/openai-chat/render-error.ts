import { withDetails } from '../error-details.js';
import { formatEvent } from '../server-sent-events.js';
import type { ErrorDescription } from '../types.js';

/**
 * The OpenAI error type for an HTTP status (Chat Completions and Responses share it).
 * @see https://platform.openai.com/docs/guides/error-codes
 */
export function errorType(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 402:
      return 'insufficient_quota';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 429:
      return 'rate_limit_exceeded';
    default:
      return status >= 500 ? 'server_error' : 'invalid_request_error';
  }
}

/** `{"message","type","param":null,"code"}` plus the details, as the openai SDK reads it. */
export function errorObject(error: ErrorDescription): Record<string, unknown> {
  return withDetails(
    { message: error.message, type: errorType(error.status), param: null, code: error.code ?? null },
    error.details,
  );
}

/** `{"error":{...}}`. */
export function renderError(error: ErrorDescription): string {
  return JSON.stringify({ error: errorObject(error) });
}

/** A data chunk holding `error`: the openai SDK's stream raises an APIError for it. */
export function renderStreamError(error: ErrorDescription): string {
  return formatEvent(undefined, { error: errorObject(error) });
}
