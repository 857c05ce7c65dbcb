import { type Document, isSeq } from 'yaml';
import { loadSettings, setInDocument, updateSettings } from '../config/load-settings.js';
import type { SwitchyardPaths } from '../config/paths.js';
import { isValidName } from '../core/names.js';
import { generateClientKey, hashClientKey } from './key-hash.js';

export interface NewClient {
  name: string;
  profiles?: string[];
  requestsPerMinute?: number;
}

export class ClientSettingsError extends Error {
  override readonly name = 'ClientSettingsError';
}

/**
 * Adds a client to config.yaml with a fresh random key, stored only as its hash (comments and
 * layout kept, written atomically). Returns the key: the only time anyone sees it.
 */
export async function addClient(paths: SwitchyardPaths, client: NewClient): Promise<string> {
  if (!isValidName(client.name))
    throw new ClientSettingsError(
      `Invalid client name "${client.name.slice(0, 80)}": use 1-64 of A-Z a-z 0-9 . _ @ + -.`,
    );
  for (const profile of client.profiles ?? []) {
    if (!isValidName(profile))
      throw new ClientSettingsError(
        `Invalid profile name "${profile.slice(0, 80)}" in --profiles: use 1-64 of A-Z a-z 0-9 . _ @ + -.`,
      );
  }
  const existing = await loadSettings(paths);
  if (existing.clients.some((known) => known.name === client.name)) {
    throw new ClientSettingsError(
      `A client named "${client.name}" exists already in config.yaml: pick another name, or edit its entry there.`,
    );
  }
  const key = generateClientKey();
  const entry: Record<string, unknown> = { name: client.name, keyHash: hashClientKey(key) };
  if (client.profiles !== undefined) entry.profiles = client.profiles;
  if (client.requestsPerMinute !== undefined) entry.requestsPerMinute = client.requestsPerMinute;
  await updateSettings(paths, (document: Document) => {
    const clients = document.get('clients', true);
    if (isSeq(clients)) clients.add(document.createNode(entry));
    else setInDocument(document, ['clients'], [entry]);
  });
  return key;
}
