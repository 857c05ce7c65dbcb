import type { Credential } from '../core/types.js';
import type { Target } from '../profiles/types.js';
import type { AttemptOutcome, AttemptReason } from './attempt-outcome.js';
import type { Classification } from './classify.js';
import type { FirstByteTimer, RequestDeadline } from './deadline.js';
import type { ProxyRequest } from './proxy-request.js';

/** How one attempt on a bucket ended, as far as the attempt loop is concerned. */
export type AttemptResult =
  | { kind: 'done' }
  | { kind: 'switch' }
  | { kind: 'timeout' }
  /** The bucket failed in a way a retry would repeat (an answer past the limits): the next bucket. */
  | { kind: 'failed' }
  | { kind: 'retry'; reason: string }
  | { kind: 'unauthorized'; usedAccessToken: string | undefined };

/** The clocks one attempt runs under. */
export interface AttemptTiming {
  deadline: RequestDeadline;
  timer: FirstByteTimer;
}

/** One attempt whose 2xx answer is being delivered: who asked, which bucket answered, and how. */
export interface AnsweredAttempt {
  request: ProxyRequest;
  target: Target;
  credential: Credential;
  status: number;
  trail: AttemptOutcome[];
  timing: AttemptTiming;
}

/** What an answer classified this way says about the attempt (the trail shows its status). */
export function attemptReasonOf(classification: Classification, status: number): AttemptReason {
  switch (classification.kind) {
    case 'success':
      return 'served';
    case 'client-error':
      return 'client-error';
    case 'rate-limited':
      return classification.state === 'exhausted' ? 'quota-exhausted' : 'rate-limited';
    case 'auth':
      return 'unauthorized';
    case 'retryable':
      return status === 429 ? 'overloaded' : 'server-error';
  }
}
