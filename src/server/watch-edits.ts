import type { SwitchyardPaths } from '../config/paths.js';
import type { RoutingSettings, Settings } from '../config/settings.js';
import type { Chain } from '../profiles/types.js';
import { createProviderRegistry, type ProviderRegistry } from '../providers/registry.js';
import type { ActiveProfiles } from './active-profiles.js';
import { type HomeWatcher, watchHome } from './home-watcher.js';
import { reloadSettings } from './reload-settings.js';
import type { ServerContext } from './server-context.js';

/**
 * Takes edits of config.yaml and profiles/ while running: providers, routing settings and client
 * keys are replaced in place (the router reads them at each request); an edited profile that
 * cannot be used keeps its last good version. Undefined when the home cannot be watched.
 */
export async function watchEdits(parts: {
  paths: SwitchyardPaths;
  settings: Settings;
  host: string;
  environment: NodeJS.ProcessEnv;
  warn: (message: string) => void;
  providers: ProviderRegistry;
  routing: RoutingSettings;
  context: ServerContext;
  profiles: ActiveProfiles;
  warnAboutSetup: (chain: Chain) => Promise<unknown>;
}): Promise<HomeWatcher | undefined> {
  const { paths, host, environment, warn, providers, routing, context, profiles, warnAboutSetup } = parts;
  let settings = parts.settings;
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
