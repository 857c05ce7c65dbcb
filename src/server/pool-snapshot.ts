import { type BucketAuthStatus, everyBucket } from '../auth/bucket-auth-status.js';
import { providerNames } from '../core/provider-names.js';
import { type BucketKey, bucketKey, type ProviderName } from '../core/types.js';
import { buildPoolView, type ListedProfile, type PoolView } from '../dashboard/pool-view.js';
import { listProfiles } from '../profiles/index.js';
import type { ServerContext } from './server-context.js';

/** The pool as the running server sees it: every profile's chain, states, counts and logins. */
export async function poolSnapshot(server: ServerContext): Promise<PoolView> {
  const active = server.profiles.current;
  // The bundled examples show only once in use (active, or asked for by a request since the last
  // switch): a new user would otherwise see a dozen "needs login" profiles they never set up.
  const entries = (await listProfiles(server.profiles.profileLocations)).filter(
    (entry) => entry.source === 'user' || entry.name === active || server.profiles.cached(entry.name) !== undefined,
  );
  const profiles = await Promise.all(
    entries.map(async (entry): Promise<ListedProfile> => {
      if (entry.error !== undefined) return { name: entry.name, source: entry.source, error: entry.error };
      try {
        return { name: entry.name, source: entry.source, chain: await server.profiles.chain(entry.name) };
      } catch (error) {
        return {
          name: entry.name,
          source: entry.source,
          error: error instanceof Error ? error.message : String(error),
        };
      }
    }),
  );
  const statistics = server.statistics.snapshot();
  const stateKeys = [...server.states.entries()].map(([key]) => key);
  const providers = new Set<ProviderName>();
  const addProvider = (key: BucketKey) => providers.add(key.slice(0, key.indexOf('/')) as ProviderName);
  for (const profile of profiles) for (const target of profile.chain?.targets ?? []) providers.add(target.provider);
  for (const key of Object.keys(statistics)) addProvider(key as BucketKey);
  for (const key of stateKeys) addProvider(key);
  // Every provider's logins: a bucket just logged in or added shows before any profile lists it.
  for (const provider of providerNames) providers.add(provider);
  const logins = new Map<ProviderName, BucketAuthStatus[]>();
  await Promise.all(
    [...providers].map(async (provider) => {
      const status = await server.auth.status(provider, undefined).catch(() => undefined);
      if (status !== undefined) logins.set(provider, status);
    }),
  );
  const view = buildPoolView({
    now: server.clock.now(),
    activeProfile: active,
    profiles,
    state: (key) => server.states.get(key),
    stateKeys: [...stateKeys, ...loginKeys(logins)],
    statistics,
    logins,
  });
  // Paused by hand: the Buckets view says so and offers Resume instead of Pause.
  const buckets = view.buckets.map((bucket) => ({
    ...bucket,
    paused: server.paused?.has(bucket.key as BucketKey) ?? false,
  }));
  return { ...view, buckets };
}

/** The buckets with a stored login or key (not the `*` of a folder that cannot be read). */
function loginKeys(logins: Map<ProviderName, BucketAuthStatus[]>): BucketKey[] {
  return [...logins].flatMap(([provider, entries]) =>
    entries.filter((entry) => entry.bucket !== everyBucket).map((entry) => bucketKey(provider, entry.bucket)),
  );
}
