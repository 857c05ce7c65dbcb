import { errorFieldsOf, errorReason, textField } from './error-body.js';
import type { InternalError } from './internal.js';

/**
 * A provider's error payload (an answer body, or a stream's error event) in internal form. One
 * reader serves the four formats: each nests `message` in its error object, which
 * `errorFieldsOf` finds (Anthropic's `{type:'error',error}`, OpenAI's and Google's `{error}`,
 * Responses' `{type:'response.failed',response:{error}}`).
 */
export function decodeError(status: number, payload: unknown): InternalError {
  const fields = errorFieldsOf(payload);
  const message =
    textField(fields, 'message') ??
    (typeof payload === 'string' && payload.trim() !== '' ? payload.slice(0, 500) : `The provider answered ${status}.`);
  const code = errorReason(fields, '');
  return { status, message, code: code === '' ? undefined : code };
}
