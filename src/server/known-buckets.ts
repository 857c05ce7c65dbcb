import type { BucketKey } from '../core/types.js';
import type { BucketStateStore } from '../state/bucket-state-store.js';
import type { StatisticsStore } from '../state/statistics.js';
import type { ActiveProfiles } from './active-profiles.js';

/** Every bucket worth showing: used (statistics), resting (state), or in a profile loaded so far. */
export function knownBuckets(
  statistics: StatisticsStore,
  states: BucketStateStore,
  profiles: ActiveProfiles,
): Set<BucketKey> {
  const keys = new Set<BucketKey>(Object.keys(statistics.snapshot()) as BucketKey[]);
  for (const [key] of states.entries()) keys.add(key);
  for (const chain of profiles.loaded()) for (const target of chain.targets) keys.add(target.key);
  return keys;
}
