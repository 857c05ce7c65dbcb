import { type Document, isMap, isScalar } from 'yaml';
import { assertProfileName } from '../core/names.js';
import { providerNames, resolveProviderName } from '../core/provider-names.js';
import type { ProviderName } from '../core/types.js';
import type { SwitchyardPaths } from './paths.js';
import { writePrivateFile } from './secure-files.js';
import { defaultSettings, type Settings, settingsSchema } from './settings.js';
import {
  ConfigFileError,
  type FieldIssue,
  lineOf,
  type ParsedYaml,
  parseYamlText,
  readYamlFile,
  validateYaml,
} from './yaml-file.js';

const providerKeys = 'baseUrl, oauthBaseUrl, authorizeUrl, tokenUrl, deviceUrl, clientId, scopes, oauthEnabled';

/** What to tell a user about a config.yaml field that failed validation (unknown keys get the allowed keys instead). */
function settingsHint({ path }: FieldIssue): string | undefined {
  switch (path[0]) {
    case 'defaultProfile':
      return 'the name of a profile, e.g. `defaultProfile: ha-claude`';
    case 'server':
      return 'server takes host (e.g. 127.0.0.1) and port (0-65535)';
    case 'providers':
      return path.length <= 2
        ? `each provider (${providerNames.join(', ')}) takes ${providerKeys}`
        : providerFieldHint(String(path[2]));
    case 'state':
      return 'state takes redis (e.g. redis://127.0.0.1:6379) and prefix (e.g. switchyard:)';
    case 'clients':
      return (
        'each client takes name, keyHash (sha256:..., from `switchyard client ' +
        'hash`) or keyEnv (a variable name), profiles (a list) and ' +
        'requestsPerMinute'
      );
    case 'routing':
      return (
        'routing takes defaultCooldownSeconds, serverErrorRetries (0-10), ' +
        'retryBackoffMs, refreshAheadSeconds, statsFlushMs, requestTimeoutMs and ' +
        'firstByteTimeoutMs (whole milliseconds up to 86400000), answerLimitBytes and ' +
        'eventLimitBytes (whole bytes, at least 1024)'
      );
    default:
      return undefined;
  }
}

function providerFieldHint(field: string): string {
  if (field === 'oauthEnabled') return 'use true or false';
  if (field === 'scopes') return 'a list of scope names';
  if (field === 'clientId') return 'the OAuth client id as text';
  return 'a full URL such as http://127.0.0.1:8080';
}

/**
 * `claude:` and `chatgpt:` under `providers` name anthropic and codex, as everywhere else a
 * provider is named; naming one provider twice is refused rather than merged. Returns the
 * normalised value and how each provider was spelled, so errors point at the user's lines.
 */
function normaliseProviderAliases(parsed: ParsedYaml): { value: unknown; spelledAs: Map<string, string> } {
  const spelledAs = new Map<string, string>();
  const value = parsed.value as { providers?: unknown } | null;
  const providers = value?.providers;
  if (typeof providers !== 'object' || providers === null || Array.isArray(providers))
    return { value: parsed.value, spelledAs };
  const normalised: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(providers)) {
    const provider = resolveProviderName(key) ?? key;
    const earlier = spelledAs.get(provider);
    if (earlier !== undefined) {
      throw new ConfigFileError(parsed.path, [
        {
          line: lineOf(parsed, ['providers', key]),
          field: `providers.${key}`,
          problem: `names the same provider as providers.${earlier}`,
          hint: 'merge the two sections into one',
        },
      ]);
    }
    spelledAs.set(provider, key);
    normalised[provider] = entry;
  }
  return { value: { ...value, providers: normalised }, spelledAs };
}

/**
 * An empty value (`providers:` with every line below it commented out) means the section is
 * not set, as a person editing the file would expect, rather than an error.
 */
function withoutEmptyValues(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, entry]) => entry !== null)
      .map(([key, entry]) => [key, withoutEmptyValues(entry)]),
  );
}

function validateSettings(parsed: ParsedYaml): Settings {
  if (parsed.value === null || parsed.value === undefined) return defaultSettings;
  const { value, spelledAs } = normaliseProviderAliases(parsed);
  return validateYaml({ ...parsed, value: withoutEmptyValues(value) }, settingsSchema, {
    hint: settingsHint,
    documentPath: (path) =>
      path[0] === 'providers' && path.length > 1
        ? ['providers', spelledAs.get(String(path[1])) ?? path[1]!, ...path.slice(2)]
        : path,
  });
}

/** SWITCHYARD_HOME/config.yaml, validated; a missing or empty file means the defaults. */
export async function loadSettings(paths: SwitchyardPaths): Promise<Settings> {
  const parsed = await readYamlFile(paths.config);
  return parsed === null ? defaultSettings : validateSettings(parsed);
}

/**
 * Edits config.yaml through the yaml Document API, so the user's comments and layout stay, then
 * validates the result and writes it atomically (0600). A file that is already invalid is
 * reported with its line and left untouched.
 */
export async function updateSettings(paths: SwitchyardPaths, mutate: (document: Document) => void): Promise<Settings> {
  const parsed = (await readYamlFile(paths.config)) ?? parseYamlText(paths.config, '');
  // Also refuses a file that is not a mapping, so mutate always edits a mapping or an empty document.
  validateSettings(parsed);
  const { document } = parsed;
  mutate(document);
  const text = document.toString();
  // Re-read what would be written, so the error (if any) points at a line of the new text.
  const settings = validateSettings(parseYamlText(paths.config, text));
  await writePrivateFile(paths.config, text);
  return settings;
}

/** Sets `path` to `value`, turning empty values on the way (`providers:` with nothing after it) into mappings. */
export function setInDocument(document: Document, path: readonly string[], value: unknown): void {
  for (let length = 1; length < path.length; length += 1) {
    const node = document.getIn(path.slice(0, length), true);
    if (isEmptyScalar(node)) {
      const map = document.createNode({});
      if (isScalar(node) && node.comment) map.comment = node.comment;
      document.setIn(path.slice(0, length), map);
    }
  }
  if (isEmptyScalar(document.contents)) document.contents = document.createNode({});
  document.setIn(path, value);
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && (node.value === null || node.value === undefined);
}

/** Makes NAME the profile `serve` uses when none is loaded or given. */
export async function setDefaultProfile(paths: SwitchyardPaths, name: string): Promise<void> {
  assertProfileName(name);
  await updateSettings(paths, (document) => setInDocument(document, ['defaultProfile'], name));
}

/** `auth <provider> enable|disable`; edits the provider's section under whichever name (alias or not) the file uses. */
export async function setProviderOAuthEnabled(
  paths: SwitchyardPaths,
  provider: ProviderName,
  enabled: boolean,
): Promise<void> {
  await updateSettings(paths, (document) => {
    const providers = document.get('providers', true);
    const existingKey = isMap(providers)
      ? providers.items
          .map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''))
          .find((key) => resolveProviderName(key) === provider)
      : undefined;
    setInDocument(document, ['providers', existingKey ?? provider, 'oauthEnabled'], enabled);
  });
}
