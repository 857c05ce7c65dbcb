import { withDetails } from '../error-details.js';
import { formatEvent } from '../server-sent-events.js';
import type { ErrorDescription } from '../types.js';

/**
 * The Anthropic error type for an HTTP status, as the SDK's error classes expect it.
 * @see https://docs.anthropic.com/en/api/errors
 */
export function errorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

function errorBody(error: ErrorDescription): Record<string, unknown> {
  const fields: Record<string, unknown> = { type: errorType(error.status), message: error.message };
  if (error.code !== undefined) fields.code = error.code;
  return { type: 'error', error: withDetails(fields, error.details) };
}

/** `{"type":"error","error":{"type","message",...}}`. */
export function renderError(error: ErrorDescription): string {
  return JSON.stringify(errorBody(error));
}

/**
 * `event: error` with the same body: the SDK's stream raises an APIError for it.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming#error-events
 */
export function renderStreamError(error: ErrorDescription): string {
  return formatEvent('error', errorBody(error));
}
