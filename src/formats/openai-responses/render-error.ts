import { errorObject, errorType } from '../openai-chat/render-error.js';
import { formatEvent } from '../server-sent-events.js';
import type { ErrorDescription } from '../types.js';

/** `{"error":{"message","type","param":null,"code"}}`, as for Chat Completions. */
export function renderError(error: ErrorDescription): string {
  return JSON.stringify({ error: errorObject(error) });
}

/**
 * A ResponseErrorEvent. The openai SDK yields such events as ordinary ones unless their data
 * holds an `error` object, so the same error object is nested too: then it raises an APIError.
 * @see https://platform.openai.com/docs/api-reference/responses-streaming/error
 */
export function renderStreamError(error: ErrorDescription): string {
  return formatEvent('error', {
    type: 'error',
    code: error.code ?? errorType(error.status),
    message: error.message,
    param: null,
    sequence_number: 0,
    error: errorObject(error),
  });
}
