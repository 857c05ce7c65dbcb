import type { Clock } from '../core/types.js';
import type { Router } from '../router/router.js';
import type { BucketStateStore } from '../state/bucket-state-store.js';
import type { StatisticsStore } from '../state/statistics.js';
import type { StateHealth } from '../state/redis/cluster-state.js';
import type { ActiveProfiles } from './active-profiles.js';
import type { AuthAdministration } from './auth-administration.js';

/** Everything the HTTP layer needs, passed in so tests can build an app around their own pieces. */
export interface ServerContext {
  router: Router;
  profiles: ActiveProfiles;
  states: BucketStateStore;
  statistics: StatisticsStore;
  auth: AuthAdministration;
  clock: Clock;
  /** SWITCHYARD_API_KEY: when set, every request must carry it. */
  clientKey: string | undefined;
  /** SWITCHYARD_ADMIN_KEY: when set, token and profile administration needs it. */
  adminKey: string | undefined;
  bodyLimitBytes: number;
  startedAt: number;
  version: string;
  /** Where shared state lives, for /health (absent: the embedded stores). */
  stateHealth?: () => StateHealth;
  /** Cluster mode: tells every instance to switch when this one's active profile is changed over HTTP. */
  announceProfile?: (name: string) => Promise<void>;
}
