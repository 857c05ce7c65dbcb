import type { SwitchyardPaths } from '../config/paths.js';
import type { Settings } from '../config/settings.js';
import type { Chain } from '../profiles/types.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { createProviderRegistry } from '../providers/registry.js';
import type { ActiveProfiles } from './active-profiles.js';
import { type HomeWatcher, watchHome } from './home-watcher.js';
import { reloadSettings } from './reload-settings.js';
import type { ServerContext } from './server-context.js';

export interface HomeEditsOptions {
  paths: SwitchyardPaths;
  /** The settings the server started with; each good edit replaces them. */
  settings: Settings;
  host: string;
  environment: NodeJS.ProcessEnv;
  /** Updated in place: the router reads both at each request. */
  providers: ProviderRegistry;
  routing: Settings['routing'];
  context: Pick<ServerContext, 'clients'>;
  profiles: ActiveProfiles;
  /** Run for the active profile when an edit changes it (what cannot serve, and the fix). */
  warnAboutSetup: (chain: Chain) => Promise<void>;
  warn: (message: string) => void;
}

/**
 * Takes edits of config.yaml and profiles/ while serving, and says so: a good edit applies at
 * once, a broken one keeps the last good settings or profile, with why. Undefined when the home
 * cannot be watched (the server then runs on what it started with).
 */
export function followHomeEdits(options: HomeEditsOptions): Promise<HomeWatcher | undefined> {
  const { paths, host, environment, providers, routing, context, profiles, warnAboutSetup, warn } = options;
  let settings = options.settings;
  return watchHome({
    paths,
    onConfigChange: async () => {
      const next = await reloadSettings(paths, settings, host, environment, warn);
      if (next === undefined) return;
      settings = next.settings;
      Object.assign(providers, createProviderRegistry(next.settings));
      Object.assign(routing, next.settings.routing);
      context.clients = next.clients;
    },
    onProfilesChange: async () => {
      const { changed, kept } = await profiles.refresh();
      for (const { name, error } of kept)
        warn(
          `profile "${name}" was edited but cannot be used, so it keeps its last good version: ` +
            `${error instanceof Error ? error.message : String(error)}`,
        );
      for (const chain of changed) {
        warn(`profile "${chain.name}" reloaded: ${chain.targets.map((target) => target.key).join(' -> ')}`);
        if (chain.name === profiles.current) await warnAboutSetup(chain);
      }
    },
  }).catch(() => undefined);
}
