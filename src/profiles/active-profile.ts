import { z } from 'zod';
import type { SwitchyardPaths } from '../config/paths.js';
import { readJsonOrNull, writePrivateJson } from '../config/secure-files.js';
import { assertProfileName, isValidName } from '../core/names.js';

/** state.json may gain other keys later; unknown ones are kept when the active profile changes. */
const stateSchema = z.looseObject({ activeProfile: z.string().optional() });

/**
 * The profile last chosen with `profile load`, for the next `serve`; undefined when none was
 * chosen. A corrupt state.json is reported (CorruptFileError), never silently replaced.
 */
export async function readActiveProfile(paths: SwitchyardPaths): Promise<string | undefined> {
  const parsed = stateSchema.safeParse(await readJsonOrNull(paths.state));
  const name = parsed.success ? parsed.data.activeProfile : undefined;
  return name !== undefined && isValidName(name) ? name : undefined;
}

/** Records the active profile in SWITCHYARD_HOME/state.json (atomic, 0600). */
export async function writeActiveProfile(paths: SwitchyardPaths, name: string): Promise<void> {
  assertProfileName(name);
  const existing = stateSchema.safeParse(await readJsonOrNull(paths.state));
  await writePrivateJson(paths.state, { ...(existing.success ? existing.data : {}), activeProfile: name });
}

/**
 * Forgets the active profile when it is `name` (just deleted), so `serve` falls back to the default; true when it was.
 */
export async function forgetActiveProfile(paths: SwitchyardPaths, name: string): Promise<boolean> {
  const existing = stateSchema.safeParse(await readJsonOrNull(paths.state));
  if (!existing.success || existing.data.activeProfile !== name) return false;
  const { activeProfile: _forgotten, ...rest } = existing.data;
  await writePrivateJson(paths.state, rest);
  return true;
}
