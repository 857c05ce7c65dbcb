import { isValidName } from '../../core/names.js';
import type { RedisConnection } from './redis-connection.js';

/** The profile the whole cluster routes to (`profile load` with Redis configured), if one was chosen. */
export async function readSharedActiveProfile(connection: RedisConnection): Promise<string | undefined> {
  if (!connection.connected) return undefined;
  const name = await connection.client.get(connection.key('profile', 'active')).catch(() => null);
  return name !== null && isValidName(name) ? name : undefined;
}

/** Makes NAME the cluster's active profile and tells every running instance to switch now. */
export async function shareActiveProfile(connection: RedisConnection, name: string): Promise<void> {
  await connection.client
    .multi()
    .set(connection.key('profile', 'active'), name)
    .publish(connection.key('profile'), name)
    .exec();
}

/**
 * Switches this instance whenever the cluster's active profile changes, and after an outage to
 * whatever was chosen meanwhile. A profile this instance cannot load is reported, and the
 * instance keeps its current one.
 */
export function followSharedActiveProfile(
  connection: RedisConnection,
  profiles: { current: string | undefined; activate(name: string): Promise<unknown> },
  log: (message: string) => void,
): void {
  const switchTo = (name: string | undefined) => {
    if (name === undefined || !isValidName(name) || name === profiles.current) return;
    profiles.activate(name).then(
      () => log(`switched to profile ${name}, chosen for the whole cluster.`),
      (error: unknown) =>
        log(
          `the cluster switched to profile ${name}, but this instance cannot load ` +
            `it (${error instanceof Error ? error.message : String(error)}); it keeps ` +
            `${profiles.current ?? 'no profile'}.`,
        ),
    );
  };
  connection.subscribe(connection.key('profile'), switchTo);
  connection.onRestored(() => void readSharedActiveProfile(connection).then(switchTo));
}
