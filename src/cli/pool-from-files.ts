import { type BucketAuthStatus, describeBuckets } from '../auth/bucket-auth-status.js';
import { createFileTokenStore, readTokenKey } from '../auth/index.js';
import type { BucketKey, ProviderName } from '../core/types.js';
import { buildPoolView, type ListedProfile, type PoolView } from '../dashboard/pool-view.js';
import { listProfiles, profileLocations, readActiveProfile, resolveChain } from '../profiles/index.js';
import { readStatsFile } from '../state/stats-file.js';
import type { CliIo } from './io.js';

/** The pool as the files describe it when no server runs: profiles, persisted stats and states, stored logins. */
export async function poolFromFiles(io: CliIo, now: number): Promise<PoolView> {
  const locations = profileLocations(io.paths);
  const entries = await listProfiles(locations);
  const profiles = await Promise.all(
    entries.map(async (entry): Promise<ListedProfile> => {
      if (entry.error !== undefined) return { name: entry.name, source: entry.source, error: entry.error };
      try {
        return { name: entry.name, source: entry.source, chain: await resolveChain(locations, entry.name) };
      } catch (error) {
        return {
          name: entry.name,
          source: entry.source,
          error: error instanceof Error ? error.message : String(error),
        };
      }
    }),
  );
  const persisted = await readStatsFile(io.paths.stats, now);
  const states = new Map(persisted.states);
  const providers = new Set<ProviderName>();
  for (const profile of profiles) for (const target of profile.chain?.targets ?? []) providers.add(target.provider);
  for (const key of [...Object.keys(persisted.statistics), ...states.keys()])
    providers.add(key.slice(0, key.indexOf('/')) as ProviderName);
  const store = createFileTokenStore(io.paths, { encryption: readTokenKey(io.environment) });
  const logins = new Map<ProviderName, BucketAuthStatus[]>();
  for (const provider of providers)
    logins.set(provider, await describeBuckets(store, provider, io.environment, now).catch(() => []));
  return buildPoolView({
    now,
    activeProfile: await readActiveProfile(io.paths).catch(() => undefined),
    profiles,
    state: (key: BucketKey) => states.get(key),
    stateKeys: states.keys(),
    statistics: persisted.statistics,
    logins,
  });
}
