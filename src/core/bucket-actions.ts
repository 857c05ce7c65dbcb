import type { BucketKey } from './types.js';

/** What a person can do to a bucket by hand (`switchyard bucket ...`, the dashboard's buttons). */
export type BucketAction = 'pause' | 'resume' | 'reset';

/** What each action did, in the same words in the terminal and on the dashboard. */
export const bucketActionDone: Record<BucketAction, (key: BucketKey) => string> = {
  pause: (key) => `Paused ${key}: no request goes to it until \`switchyard bucket resume ${key}\`.`,
  resume: (key) => `Resumed ${key}: it takes requests again.`,
  reset: (key) => `Reset ${key}: its rest and what its answers said of its windows are cleared; it takes requests now.`,
};
