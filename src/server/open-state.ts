import type { TokenKeySetting } from '../auth/token-key.js';
import type { SwitchyardPaths } from '../config/paths.js';
import type { Settings } from '../config/settings.js';
import type { Clock } from '../core/types.js';
import { redisSettingsOf } from '../state/cluster/redis-settings.js';
import { openEmbeddedState } from '../state/embedded-state.js';
import type { StateBackend } from '../state/state-backend.js';

/** Cluster mode: state shared through Redis (SWITCHYARD_REDIS_URL or state.redis); else the embedded stores. */
export async function openState(parts: {
  settings: Settings;
  environment: NodeJS.ProcessEnv;
  paths: SwitchyardPaths;
  clock: Clock;
  encryption: TokenKeySetting;
  warn: (message: string) => void;
}): Promise<StateBackend> {
  const { settings, environment, paths, clock, encryption, warn } = parts;
  const redis = redisSettingsOf(settings, environment);
  // The Redis modules (ioredis with them) load only in cluster mode: an embedded server starts without them.
  return redis === undefined
    ? await openEmbeddedState({ paths, clock, encryption, statsFlushMs: settings.routing.statsFlushMs, warn })
    : await (await import('../state/cluster/cluster-state.js')).openClusterState({
        settings: redis,
        paths,
        clock,
        log: warn,
        encryption,
      });
}
