import type { BucketKey, BucketState } from '../core/types.js';

/**
 * Routing state of every bucket. Reads are synchronous because they sit on the hot path; a
 * cluster implementation keeps a local mirror and propagates writes in the background.
 */
export interface BucketStateStore {
  get(key: BucketKey): BucketState | undefined;
  set(key: BucketKey, state: BucketState): void;
  clear(key: BucketKey): void;
  entries(): IterableIterator<[BucketKey, BucketState]>;
  /** Increases on every change, so selection can cache what it computed from the states. */
  readonly version: number;
}

export function createMemoryBucketStateStore(initial?: Iterable<[BucketKey, BucketState]>): BucketStateStore {
  const states = new Map<BucketKey, BucketState>(initial);
  let version = 0;
  return {
    get: (key) => states.get(key),
    set(key, state) {
      states.set(key, state);
      version += 1;
    },
    clear(key) {
      if (states.delete(key)) version += 1;
    },
    entries: () => states.entries(),
    get version() {
      return version;
    },
  };
}

/** The status that applies at `now`: a cooling, exhausted or resting bucket whose time has passed is ready. */
export function effectiveState(state: BucketState | undefined, now: number): BucketState {
  if (!state || state.status === 'ready' || state.status === 'needs-login') return state ?? readyState;
  if ((state.until ?? 0) <= now) return readyState;
  return state;
}

const readyState: BucketState = Object.freeze({ status: 'ready' });

/**
 * Whether the router may try the bucket now. A bucket needing login is re-checked once its
 * `until` passes (a cheap credential look-up, no upstream call), so a fresh login is noticed.
 */
export function isSelectable(state: BucketState | undefined, now: number): boolean {
  if (!state) return true;
  if (state.status === 'ready') return true;
  return (state.until ?? Number.POSITIVE_INFINITY) <= now;
}
