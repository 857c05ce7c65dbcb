import { readErrorBody } from '../formats/error-body.js';
import { classifyFailure } from './classify-failure.js';
import type { Classification, UpstreamAnswer } from './upstream-answer.js';

export { classifyStreamError } from './stream-error.js';
export type { Classification, HeaderBag, UpstreamAnswer } from './upstream-answer.js';

/** What the router does with an upstream answer. */
export function classifyAnswer(answer: UpstreamAnswer): Classification {
  if (answer.status >= 200 && answer.status < 300) return { kind: 'success' };
  return classifyFailure({ ...answer, error: readErrorBody(answer.body) });
}
