import { withDetails } from '../error-details.js';
import { formatEvent } from '../server-sent-events.js';
import type { ErrorDescription } from '../types.js';

/**
 * The canonical Google status for an HTTP status.
 * @see https://cloud.google.com/apis/design/errors#handling_errors
 * @see https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
 */
export function googleStatus(status: number): string {
  switch (status) {
    case 400:
    case 413:
    case 422:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 408:
    case 504:
      return 'DEADLINE_EXCEEDED';
    case 409:
      return 'ABORTED';
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 499:
      return 'CANCELLED';
    case 501:
      return 'NOT_IMPLEMENTED';
    case 502:
    case 503:
    case 529:
      return 'UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION';
  }
}

/**
 * `{code,message,status,details}`: the machine code as a `google.rpc.ErrorInfo` reason, the retry
 * delay as a `google.rpc.RetryInfo` (which Gemini CLI honours), extra details as plain fields.
 * @see https://cloud.google.com/apis/design/errors#error_details
 */
function errorObject(error: ErrorDescription): Record<string, unknown> {
  const details: Record<string, unknown>[] = [];
  if (error.code !== undefined) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: error.code.toUpperCase(),
      domain: 'switchyard',
    });
  }
  if (error.retryAfterSeconds !== undefined) {
    details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${error.retryAfterSeconds}s` });
  }
  return withDetails(
    { code: error.status, message: error.message, status: googleStatus(error.status), details },
    error.details,
  );
}

/** `{"error":{"code","message","status","details"}}`. */
export function renderError(error: ErrorDescription): string {
  return JSON.stringify({ error: errorObject(error) });
}

/**
 * A data chunk holding `error`: @google/genai raises an ApiError for it when `error.code` is an
 * HTTP status.
 */
export function renderStreamError(error: ErrorDescription): string {
  return formatEvent(undefined, { error: errorObject(error) });
}
