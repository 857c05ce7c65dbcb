import type { ProactiveRefresh } from '../auth/proactive-refresh.js';
import type { SeedOutcome } from '../auth/seed-from-environment.js';
import type { SwitchyardPaths } from '../config/paths.js';
import type { Clock } from '../core/types.js';
import type { RequestObserver } from '../router/router-observer.js';
import type { ResolveHost } from './loopback.js';
import type { ServerContext } from './server-context.js';

/** What `startServer` is given, and what it hands back. */
export interface StartServerOptions {
  paths: SwitchyardPaths;
  environment?: NodeJS.ProcessEnv;
  /** Overrides the loaded/default profile. */
  profile?: string;
  host?: string;
  port?: number;
  clock?: Clock;
  /** Record the server in SWITCHYARD_HOME/server.json so the CLI can find it (default true). */
  announce?: boolean;
  /** Where warnings go (corrupt stats file, failed stats writes). */
  warn?: (message: string) => void;
  /** More observers of every request, e.g. the request log. */
  observers?: RequestObserver[];
  /** Take edits of config.yaml and profiles/ while running (default: when announced, as `serve` is). */
  watch?: boolean;
  /** How a host name is resolved to check that a bind is loopback (default: the system's resolver). */
  resolveHost?: ResolveHost;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  context: ServerContext;
  /** Client connections open right now (tests check that none is left behind). */
  connections(): Promise<number>;
  /** Keeps OAuth buckets fresh before they expire (tests call `sweep()` directly). */
  proactiveRefresh: ProactiveRefresh;
  /** Runs `task` with the server's own deferred loading, after the pause that follows listening (see WarmUp). */
  warmUp<T>(task: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** What CLAUDE_ACCESS_TOKEN did at start (serve says so: the bucket is otherwise invisible until used). */
  environmentSeed: SeedOutcome;
}
