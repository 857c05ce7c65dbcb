import { isRecord } from '../core/json.js';
import { type ErrorFields, errorFieldsOf, textField } from './error-body.js';

/**
 * The HTTP status each documented error code stands for, so that an error event inside a 200
 * stream is decided exactly as the same error sent as an answer would be.
 * @see https://docs.anthropic.com/en/api/errors#http-errors
 * @see https://platform.openai.com/docs/guides/error-codes#api-errors
 * @see https://cloud.google.com/apis/design/errors#handling_errors
 */
const statusOfCode: Readonly<Record<string, number>> = {
  // Anthropic `error.type`
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
  // OpenAI and Codex `error.code` / `error.type`
  context_length_exceeded: 400,
  invalid_prompt: 400,
  invalid_api_key: 401,
  token_expired: 401,
  token_invalidated: 401,
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  usage_limit_reached: 429,
  usage_not_included: 429,
  server_error: 500,
  server_is_overloaded: 503,
  slow_down: 503,
  // Google canonical `error.status`
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ABORTED: 409,
  ALREADY_EXISTS: 409,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  UNKNOWN: 500,
  INTERNAL: 500,
  DATA_LOSS: 500,
  NOT_IMPLEMENTED: 501,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/** An error event nobody can read is treated as a server failure: retried, then switched. */
const unknownStatus = 500;

function httpStatus(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599 ? value : undefined;
}

/**
 * The status an error event stands for: a numeric one it carries (Gemini's `error.code`, Codex's
 * `status_code`), else the first documented code among `error.code`, `error.type`, `error.status`
 * and the event's own `code` (Responses' `{type:'error',code}`).
 */
function statusOfEvent(event: ErrorFields | undefined, fields: ErrorFields | undefined): number {
  const numeric = [fields?.code, fields?.status_code, fields?.status, event?.status_code, event?.status]
    .map(httpStatus)
    .find((status) => status !== undefined);
  if (numeric !== undefined) return numeric;
  for (const code of [
    textField(fields, 'code'),
    textField(fields, 'type'),
    textField(fields, 'status'),
    textField(event, 'code'),
  ]) {
    // Own keys only: an error code such as `constructor` must not find Object's prototype.
    const status = code !== undefined && Object.hasOwn(statusOfCode, code) ? statusOfCode[code] : undefined;
    if (status !== undefined) return status;
  }
  return unknownStatus;
}

/**
 * The HTTP status an error event inside a stream stands for (`error` is the event's parsed data,
 * or its text when it was not JSON). The router classifies the event by it, and the codecs
 * translate the event with it; `fields` spares a caller that already found them a second search.
 */
export function statusOfStreamError(error: unknown, fields: ErrorFields | undefined = errorFieldsOf(error)): number {
  const event = isRecord(error) ? error : undefined;
  return statusOfEvent(event, fields);
}
