import type { InternalError } from './internal.js';
import type { ErrorDescription } from './types.js';

/** An error event of the internal stream as the description every format renders. */
export function describeStreamError(error: InternalError): ErrorDescription {
  return {
    status: error.status,
    message: error.message,
    ...(error.code === undefined ? {} : { code: error.code }),
  };
}

/** What ends a translated stream whose upstream stopped before its last event. */
export const incompleteStreamError: ErrorDescription = {
  status: 502,
  message: 'The upstream stream ended before its last event; the answer is incomplete.',
  code: 'upstream_stream_incomplete',
};
