import type { BucketStateStore } from '../state/bucket-state-store.js';
import type { QuotaStore } from '../state/quota-store.js';

/**
 * A bucket resting for a spent quota comes back as soon as any answer, this instance's or another's,
 * shows its windows allowed again (an early reset, a reset by hand at the provider, a window
 * misread), rather than idling until a reset days away. A short throttle comes back only when
 * the windows it was read from were rejected; a login problem never.
 */
export function releaseRestsWhenAllowed(quota: QuotaStore | undefined, states: BucketStateStore): void {
  quota?.onAllowed((key, wasRejected) => {
    const state = states.get(key);
    if (state === undefined) return;
    if (state.status === 'exhausted' || (state.status === 'cooling' && wasRejected)) states.clear(key);
  });
}
