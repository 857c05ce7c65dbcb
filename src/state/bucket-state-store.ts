import type { BucketKey, BucketState } from '../core/types.js';
import { ChangeLog } from './change-log.js';

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
  /**
   * The keys changed after `version` (a past value of `version`), so a cache can update the
   * few entries concerned; undefined when too many changed since to say.
   */
  changedSince(version: number): BucketKey[] | undefined;
}

export function createMemoryBucketStateStore(initial?: Iterable<[BucketKey, BucketState]>): BucketStateStore {
  const states = new Map<BucketKey, BucketState>(initial);
  const changes = new ChangeLog<BucketKey>();
  return {
    get: (key) => states.get(key),
    set(key, state) {
      states.set(key, state);
      changes.record(key);
    },
    clear(key) {
      if (states.delete(key)) changes.record(key);
    },
    entries: () => states.entries(),
    get version() {
      return changes.version;
    },
    changedSince: (version) => changes.since(version),
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
  return selectableFrom(state) <= now;
}

/** From when the router may try the bucket: -Infinity when it is ready, Infinity when no time lifts its state. */
export function selectableFrom(state: BucketState | undefined): number {
  if (!state || state.status === 'ready') return Number.NEGATIVE_INFINITY;
  return state.until ?? Number.POSITIVE_INFINITY;
}
