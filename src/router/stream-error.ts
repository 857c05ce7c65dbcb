import type { ProviderName } from '../core/types.js';
import { errorFieldsOf, errorReason } from '../formats/error-body.js';
import { statusOfStreamError } from '../formats/stream-error-status.js';
import { classifyFailure } from './classify-failure.js';
import type { Classification } from './upstream-answer.js';

/**
 * An error event at the start of a 200 stream (`error` is the event's parsed data, or its text
 * when it was not JSON): Anthropic `{type:'error',error:{type}}`, Chat `{error:{…}}`, Responses
 * `{type:'error',code}` / `{type:'response.failed',response:{error:{code}}}`, Gemini
 * `{error:{code,status,details}}`. Decided like the same error sent as an answer.
 */
export function classifyStreamError(provider: ProviderName, error: unknown, now: number): Classification {
  const fields = errorFieldsOf(error);
  const status = statusOfStreamError(error, fields);
  const body = typeof error === 'string' ? error : undefined;
  return classifyFailure(
    { provider, status, headers: {}, error: fields, body, now, inStream: true },
    errorReason(fields, 'stream_error'),
  );
}
