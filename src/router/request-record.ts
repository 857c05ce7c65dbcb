import type { Target } from '../profiles/types.js';
import type { AttemptOutcome } from './attempt-outcome.js';

/**
 * What is known about one client request as it goes: who sent it, when, the bucket trail and
 * how it ended. Created once per request by the HTTP layer, filled in by the router, read by
 * observers (metrics, logs, client statistics).
 */
export interface RequestRecord {
  /** The client's name from config.yaml (`clients:`), `default` for SWITCHYARD_API_KEY, undefined when keys are off. */
  readonly client: string | undefined;
  /** performance.now() when the request arrived; durations are measured from here. */
  readonly startedAt: number;
  /** How each attempt ended, in order; `x-switchyard-attempts` and the log render it (renderTrail). */
  readonly trail: AttemptOutcome[];
  /** The bucket whose answer the client got. */
  servedBy: Target | undefined;
  /** performance.now() when the response head was written. */
  firstByteAt: number | undefined;
  inputTokens: number;
  outputTokens: number;
}

/** A fresh record for a request that arrived at `startedAt` (performance.now()). */
export function startRequestRecord(client: string | undefined, startedAt: number): RequestRecord {
  return { client, startedAt, trail: [], servedBy: undefined, firstByteAt: undefined, inputTokens: 0, outputTokens: 0 };
}
