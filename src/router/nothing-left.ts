import type { BucketKey, Clock } from '../core/types.js';
import { renderError, renderExhausted, type BucketAvailability } from '../formats/index.js';
import type { Chain } from '../profiles/types.js';
import { effectiveState, type BucketStateStore } from '../state/bucket-state-store.js';
import { renderTrail, type AttemptOutcome } from './attempt-outcome.js';
import type { ProxyRequest } from './proxy-request.js';

/** What the "nothing left" answer reads: bucket states, the time, and the fix for each bucket needing login. */
export interface NothingLeftSources {
  states: BucketStateStore;
  clock: Clock;
  needsLoginAdvice: ReadonlyMap<BucketKey, string>;
}

/** Nothing answered: the exhausted answer when every bucket is resting, else the failure. */
export function answerWhenNothingIsLeft(request: ProxyRequest, chain: Chain, trail: AttemptOutcome[], lastFailure: string | undefined, { states, clock, needsLoginAdvice }: NothingLeftSources): void {
  const now = clock.now();
  const availability: BucketAvailability[] = chain.targets.map((target) => {
    const state = effectiveState(states.get(target.key), now);
    const advice = state.status === 'needs-login' ? needsLoginAdvice.get(target.key) : undefined;
    return { key: target.key, state: state.status, availableAt: state.status === 'needs-login' ? undefined : state.until, ...(advice ? { advice } : {}) };
  });
  if (lastFailure === undefined || availability.every((bucket) => bucket.state !== 'ready')) {
    const exhausted = renderExhausted(request.format, availability, now);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-switchyard-attempts': renderTrail(trail) };
    if (exhausted.retryAfterSeconds !== undefined) headers['retry-after'] = String(exhausted.retryAfterSeconds);
    request.response.writeHead(exhausted.status, headers);
    request.response.end(exhausted.body);
    return;
  }
  sendError(request, 502, {
    message: `Every bucket that could serve this request failed (attempts: ${renderTrail(trail, ', ')}).`,
    code: 'upstream_failed',
  }, trail);
}

/** An error switchyard answers itself, in the client's format, with the attempts so far. */
export function sendError(request: ProxyRequest, status: number, error: { message: string; code: string }, trail: readonly AttemptOutcome[] = []): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (trail.length > 0) headers['x-switchyard-attempts'] = renderTrail(trail);
  request.response.writeHead(status, headers);
  request.response.end(renderError(request.format, { status, ...error }));
}
