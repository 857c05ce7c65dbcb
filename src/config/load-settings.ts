import { Document, isMap, parseDocument } from 'yaml';
import type { ProviderName } from '../core/types.js';
import type { SwitchyardPaths } from './paths.js';
import { readTextOrNull, writePrivateFile } from './secure-files.js';
import { defaultSettings, settingsSchema, type Settings } from './settings.js';
import { readYamlFile, validateYaml } from './yaml-file.js';

function settingsHint(field: string): string | undefined {
  const top = field.split(/[.[]/)[0];
  if (top === 'providers') return 'providers take anthropic, openai, codex, gemini, qwen, each with baseUrl, oauthBaseUrl, authorizeUrl, tokenUrl, deviceUrl, clientId, scopes, oauthEnabled';
  if (top === 'routing') return 'routing takes defaultCooldownSeconds, serverErrorRetries, retryBackoffMs, refreshAheadSeconds, statsFlushMs';
  if (top === 'server') return 'server takes host and port';
  if (top === 'defaultProfile') return 'a profile name';
  return 'config.yaml takes defaultProfile, server, providers and routing';
}

/** SWITCHYARD_HOME/config.yaml, validated; a missing file means the defaults. */
export async function loadSettings(paths: SwitchyardPaths): Promise<Settings> {
  const parsed = await readYamlFile(paths.config);
  if (parsed === null || parsed.value === null || parsed.value === undefined) return defaultSettings;
  return validateYaml(paths.config, parsed, settingsSchema, settingsHint);
}

/** Edits config.yaml in place, keeping the user's comments and layout, then validates and writes it atomically. */
async function editSettings(paths: SwitchyardPaths, edit: (document: Document) => void): Promise<void> {
  const text = (await readTextOrNull(paths.config)) ?? '';
  const parsed = parseDocument(text);
  if (parsed.errors.length > 0) throw new Error(`${paths.config} is not valid YAML; fix it before changing settings from the command line.`);
  // An empty or comment-only file has no mapping yet: start one, keeping the comments.
  const document: Document = isMap(parsed.contents) ? parsed : new Document({}, { keepSourceTokens: false });
  if (document !== parsed && parsed.commentBefore) document.commentBefore = parsed.commentBefore;
  edit(document);
  const result = settingsSchema.safeParse(document.toJS());
  if (!result.success) throw new Error(`The change would make ${paths.config} invalid: ${result.error.issues[0]?.message ?? 'invalid'}`);
  await writePrivateFile(paths.config, document.toString());
}

export function setDefaultProfile(paths: SwitchyardPaths, name: string): Promise<void> {
  return editSettings(paths, (document) => document.set('defaultProfile', name));
}

export function setProviderOAuthEnabled(paths: SwitchyardPaths, provider: ProviderName, enabled: boolean): Promise<void> {
  return editSettings(paths, (document) => document.setIn(['providers', provider, 'oauthEnabled'], enabled));
}
