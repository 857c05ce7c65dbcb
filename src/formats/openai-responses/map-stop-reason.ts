import { objectOf, recordsOf } from '../../core/json.js';
import type { StopReason } from '../internal.js';

/**
 * Responses has no stop reason: a finished response is `completed`, or `incomplete` with
 * `incomplete_details.reason`; a function call among the output items means the model wants a tool.
 * @see https://platform.openai.com/docs/api-reference/responses/object
 */
export function stopReasonFromResponse(response: Record<string, unknown>): StopReason {
  if (response.status === 'incomplete') {
    return objectOf(response.incomplete_details).reason === 'content_filter' ? 'content-filter' : 'max-tokens';
  }
  if (response.status === 'failed') return 'error';
  return recordsOf(response.output).some((item) => item.type === 'function_call') ? 'tool-use' : 'end';
}

/** Status and incomplete details for a stop reason. */
export function responseStatusOf(reason: StopReason): {
  status: string;
  incomplete_details: Record<string, unknown> | null;
} {
  if (reason === 'max-tokens') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (reason === 'content-filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}
