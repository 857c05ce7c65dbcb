import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ProviderName } from '../core/types.js';

/** Where everything the user owns lives. */
export interface SwitchyardPaths {
  home: string;
  config: string;
  profiles: string;
  oauth: string;
  stats: string;
  /** What answers said about each bucket's usage windows (embedded state; a cluster keeps it in Redis). */
  quota: string;
  /** Buckets paused by hand (`switchyard bucket pause`; a cluster keeps them in Redis). */
  paused: string;
  /**
   * Written by a running server so the CLI can find it (`profile load`, `stats buckets`);
   * SWITCHYARD_SERVER_FILE moves it, for a second server on the same home.
   */
  server: string;
  /** The profile last chosen with `profile load`, used by the next `serve`. */
  state: string;
}

/** Resolves SWITCHYARD_HOME (default `~/.switchyard`) into the file layout of DESIGN.md. */
export function resolvePaths(environment: NodeJS.ProcessEnv = process.env): SwitchyardPaths {
  const home = environment.SWITCHYARD_HOME?.trim() || join(homedir(), '.switchyard');
  return {
    home,
    config: join(home, 'config.yaml'),
    profiles: join(home, 'profiles'),
    oauth: join(home, 'oauth'),
    stats: join(home, 'stats.json'),
    quota: join(home, 'quota.json'),
    paused: join(home, 'paused.json'),
    server: serverFileOf(environment) ?? join(home, 'server.json'),
    state: join(home, 'state.json'),
  };
}

export function tokenFilePath(paths: SwitchyardPaths, provider: ProviderName, bucket: string): string {
  return join(paths.oauth, provider, `${bucket}.json`);
}

/** SWITCHYARD_SERVER_FILE as an absolute path, when set: a server (and the CLI that talks to it) of its own. */
export function serverFileOf(environment: NodeJS.ProcessEnv): string | undefined {
  const value = environment.SWITCHYARD_SERVER_FILE?.trim();
  return value ? resolve(value) : undefined;
}
