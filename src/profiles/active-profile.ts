import { z } from 'zod';
import type { SwitchyardPaths } from '../config/paths.js';
import { readJsonOrNull, writePrivateJson } from '../config/secure-files.js';
import { assertProfileName, isValidName } from '../core/names.js';

const stateSchema = z.object({ activeProfile: z.string().optional() }).passthrough();

/** The profile last chosen with `profile load`, for the next `serve`. */
export async function readActiveProfile(paths: SwitchyardPaths): Promise<string | undefined> {
  const parsed = stateSchema.safeParse(await readJsonOrNull(paths.state));
  const name = parsed.success ? parsed.data.activeProfile : undefined;
  return name !== undefined && isValidName(name) ? name : undefined;
}

export async function writeActiveProfile(paths: SwitchyardPaths, name: string): Promise<void> {
  assertProfileName(name);
  const existing = stateSchema.safeParse(await readJsonOrNull(paths.state).catch(() => null));
  await writePrivateJson(paths.state, { ...(existing.success ? existing.data : {}), activeProfile: name });
}
