import { ConfigFileError, lineOf, type ParsedYaml, readYamlFile, validateYaml } from '../config/yaml-file.js';
import { existingProfileNames, locateProfile, type ProfileFile } from './profile-files.js';
import { ProfileNotFoundError } from './profile-not-found-error.js';
import { loadBalancerProfileSchema, modelProfileSchema, profileHint, typeHint } from './schema.js';
import type { Profile, ProfileLocations } from './types.js';

/** A profile read from its file, with the parsed document kept for errors that point into it. */
export interface LoadedProfile extends ProfileFile {
  profile: Profile;
  parsed: ParsedYaml;
}

/** Parses and validates one profile file; null when it does not exist. */
export async function readProfileFile(path: string): Promise<Profile | null> {
  const parsed = await readYamlFile(path);
  return parsed === null ? null : validateProfile(parsed);
}

/** Validates a parsed document as a profile; the `type` decides which schema applies. */
export function validateProfile(parsed: ParsedYaml): Profile {
  const raw = parsed.value;
  if (raw === null || raw === undefined) {
    throw new ConfigFileError(parsed.path, [
      {
        line: undefined,
        field: undefined,
        problem: 'the file is empty',
        hint: `a profile starts with a \`type\` line: ${typeHint}`,
      },
    ]);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigFileError(parsed.path, [
      {
        line: lineOf(parsed, []),
        field: undefined,
        problem: 'a profile must be a mapping of keys to values',
        hint: `start with a \`type\` line: ${typeHint}`,
      },
    ]);
  }
  const type = (raw as { type?: unknown }).type;
  if (type === 'model') return validateYaml(parsed, modelProfileSchema, { hint: profileHint });
  if (type === 'loadbalancer') return validateYaml(parsed, loadBalancerProfileSchema, { hint: profileHint });
  const problem = type === undefined ? 'missing' : `unknown profile type ${JSON.stringify(type)}`;
  throw new ConfigFileError(parsed.path, [{ line: lineOf(parsed, ['type']), field: 'type', problem, hint: typeHint }]);
}

/** Finds and reads a profile by name, the user's first; unknown names list the profiles that exist. */
export async function findProfile(locations: ProfileLocations, name: string): Promise<LoadedProfile> {
  const file = await locateProfile(locations, name);
  const parsed = file ? await readYamlFile(file.path) : null;
  // A file deleted between locating and reading is as gone as one never written.
  if (!file || !parsed) throw new ProfileNotFoundError(name, await existingProfileNames(locations));
  return { ...file, profile: validateProfile(parsed), parsed };
}

/** Loads a profile by name: the user's `NAME.yaml` first, then the bundled example. */
export async function loadProfile(locations: ProfileLocations, name: string): Promise<Profile> {
  return (await findProfile(locations, name)).profile;
}
