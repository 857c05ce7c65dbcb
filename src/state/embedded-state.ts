// Each from its own module, not the auth index: the index also brings the import formats (their
// zod schemas), which serving never uses.
import { createFileTokenStore } from '../auth/file-token-store.js';
import { describeLegacyMigration, migrateLegacyTokenFiles } from '../auth/legacy-token-files.js';
import { type TokenFolderWatch, watchTokenFolders } from '../auth/token-folder-watch.js';
import type { TokenKeySetting } from '../auth/token-key.js';
import type { SwitchyardPaths } from '../config/paths.js';
import type { Clock } from '../core/types.js';
import { readActiveProfile } from '../profiles/active-profile.js';
import { BucketLimiters } from './bucket-limits.js';
import { type BucketStateStore, createMemoryBucketStateStore } from './bucket-state-store.js';
import { FileStatisticsStore } from './file-statistics-store.js';
import { MemoryStatisticsStore } from './memory-statistics-store.js';
import { FilePausedBuckets } from './paused-buckets.js';
import { QuotaFileWriter, readQuotaFile } from './quota-file.js';
import { MemoryQuotaStore } from './quota-store.js';
import { SessionAffinity } from './session-affinity.js';
import type { StateBackend } from './state-backend.js';
import type { StatisticsStore } from './statistics.js';
import { readStatsFile } from './stats-file.js';

export interface OpenEmbeddedStateOptions {
  paths: SwitchyardPaths;
  clock: Clock;
  /** SWITCHYARD_TOKEN_KEY as read by the caller: token files are encrypted with it when set. */
  encryption: TokenKeySetting;
  /** How often stats.json is written at most (routing.statsFlushMs). */
  statsFlushMs: number;
  /** Where warnings go (corrupt stats file, failed writes, migrated token files). */
  warn: (message: string) => void;
}

/**
 * One process's state: tokens in files under SWITCHYARD_HOME, bucket states in memory and
 * persisted with the statistics in stats.json, limiters and session stickiness in memory.
 */
export async function openEmbeddedState(options: OpenEmbeddedStateOptions): Promise<StateBackend> {
  const { paths, clock, encryption, warn } = options;
  const tokens = createFileTokenStore(paths, { encryption });
  // Older layouts of our own token files move into today's, once (a cluster keeps its tokens in Redis).
  for (const outcome of await migrateLegacyTokenFiles(paths, tokens, encryption)) {
    warn(describeLegacyMigration(outcome, paths));
  }
  const states = createMemoryBucketStateStore();
  const statistics = await openStatistics(paths.stats, clock, states, options.statsFlushMs, warn);
  const limiters = new BucketLimiters();
  const { quota, quotaWriter } = await openQuota(paths.quota, options.statsFlushMs, warn);
  const paused = await FilePausedBuckets.open(paths.paused).catch((error: unknown) => {
    // A file that does not read is left alone: pauses are kept in memory until it is fixed.
    warn(`${error instanceof Error ? error.message : String(error)} Paused buckets are kept in memory only.`);
    return new FilePausedBuckets(undefined);
  });
  let watch: TokenFolderWatch | undefined;
  return {
    tokens,
    states,
    statistics,
    quota,
    paused,
    limiters,
    sessions: () => new SessionAffinity(),
    activeProfile: () => readActiveProfile(paths),
    followActiveProfile: () => undefined,
    announceProfile: async () => undefined,
    async watchLogins(listener) {
      watch?.close();
      watch = watchTokenFolders({ oauth: paths.oauth, onChange: listener });
    },
    health: () => ({ backend: 'embedded' }),
    async close() {
      watch?.close();
      await statistics.close();
      await quotaWriter?.close();
      await paused.close();
      await limiters.close();
    },
  };
}

/** quota.json into memory, written back as answers change it; a file that does not read is left alone. */
async function openQuota(
  path: string,
  flushIntervalMs: number,
  warn: (message: string) => void,
): Promise<{ quota: MemoryQuotaStore; quotaWriter: QuotaFileWriter | undefined }> {
  try {
    const quota = new MemoryQuotaStore(await readQuotaFile(path));
    const quotaWriter = new QuotaFileWriter(path, quota, flushIntervalMs, (error) =>
      warn(`could not write ${path}: ${error instanceof Error ? error.message : String(error)}`),
    );
    return { quota, quotaWriter };
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    warn(`${problem} Quota is kept in memory only until it is fixed.`);
    return { quota: new MemoryQuotaStore(), quotaWriter: undefined };
  }
}

async function openStatistics(
  path: string,
  clock: Clock,
  states: BucketStateStore,
  flushIntervalMs: number,
  warn: (message: string) => void,
): Promise<StatisticsStore> {
  try {
    const persisted = await readStatsFile(path, clock.now());
    // A bucket that needed login before the restart is re-checked at once (a local look-up): the
    // user may have set its key or logged in meanwhile; a dead OAuth token stays marked in its file.
    for (const [key, state] of persisted.states) {
      states.set(key, state.status === 'needs-login' ? { ...state, until: clock.now() } : state);
    }
    return new FileStatisticsStore({
      path,
      clock,
      initial: persisted.statistics,
      states: () => states.entries(),
      statesVersion: () => states.version,
      flushIntervalMs,
      onError: (error) => warn(`could not write ${path}: ${error instanceof Error ? error.message : String(error)}`),
    });
  } catch (error) {
    // Never overwrite a file we could not read: keep counting in memory and say so.
    const problem = error instanceof Error ? error.message : String(error);
    warn(`${problem} Statistics are kept in memory only until it is fixed.`);
    return new MemoryStatisticsStore(clock);
  }
}
