import { ClientDirectory } from '../clients/client-directory.js';
import { loadSettings } from '../config/load-settings.js';
import type { SwitchyardPaths } from '../config/paths.js';
import type { Settings } from '../config/settings.js';
import { exposureProblem } from './exposure-check.js';
import { changedSettings, takesEffectAtNextStart } from './settings-changes.js';

/**
 * config.yaml was edited: the new settings, or undefined when nothing changed or the edit cannot be
 * used (it does not parse or validate, a client key's variable is unset, or it would leave a
 * non-loopback server without client keys). Then the server keeps its last good settings, and the
 * warning says why. What changed is logged by name, never by value (a Redis URL may hold a password).
 */
export async function reloadSettings(
  paths: SwitchyardPaths,
  current: Settings,
  host: string,
  environment: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): Promise<{ settings: Settings; clients: ClientDirectory } | undefined> {
  const refuse = (why: string) => {
    warn(`${paths.config} was edited but cannot be used, so the server keeps its last good settings: ${why}`);
    return undefined;
  };
  let next: Settings;
  let clients: ClientDirectory;
  try {
    next = await loadSettings(paths);
    clients = new ClientDirectory(next.clients, nonEmpty(environment.SWITCHYARD_API_KEY), environment);
  } catch (error) {
    return refuse(error instanceof Error ? error.message : String(error));
  }
  // The same check as at start: an edit must not open a reachable server to anyone.
  const exposure = await exposureProblem(host, clients, next.clients, environment);
  if (exposure !== undefined) return refuse(exposure);
  const changed = changedSettings(current, next);
  if (changed.length === 0) return undefined;
  const now = changed.filter((path) => !takesEffectAtNextStart(path));
  const later = changed.filter(takesEffectAtNextStart);
  const parts = [
    ...(now.length > 0 ? [`${now.join(', ')} changed`] : []),
    ...(later.length > 0
      ? [`${later.join(', ')} changed and take${later.length === 1 ? 's' : ''} effect at the next start`]
      : []),
  ];
  warn(`config.yaml reloaded: ${parts.join('; ')}.`);
  return { settings: next, clients };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
