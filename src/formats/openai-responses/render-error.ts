import { errorObject, errorType } from '../openai-chat/render-error.js';
import { formatEvent } from '../server-sent-events.js';
import type { ErrorDescription } from '../types.js';

/**
 * `{"error":{"message","type","param":null,"code"}}`, as for Chat Completions. A spent quota with
 * a known reset is typed `usage_limit_reached` with `resets_at` (Unix seconds) and
 * `resets_in_seconds`, as the ChatGPT Codex backend answers: Codex CLI then stops and tells the
 * user when to try again, where any other 429 makes it retry several times and end with
 * "exceeded retry limit, last status: 429".
 * @see https://github.com/openai/codex/blob/main/codex-rs/codex-api/src/api_bridge.rs
 */
export function renderError(error: ErrorDescription): string {
  const object = errorObject(error);
  if (error.status === 429 && error.resetsAt !== undefined) {
    object.type = 'usage_limit_reached';
    object.resets_at = Math.ceil(error.resetsAt / 1000);
    if (error.retryAfterSeconds !== undefined) object.resets_in_seconds = error.retryAfterSeconds;
  }
  return JSON.stringify({ error: object });
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
