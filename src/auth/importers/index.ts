import type { ProviderName } from '../../core/types.js';
import { InvalidTokenFileError } from '../invalid-token-file-error.js';
import type { StoredCredential } from '../token-file.js';
import { camelCaseImporter } from './camel-case.js';
import { claudeCodeImporter } from './claude-code.js';
import { codexAuthImporter } from './codex-auth.js';
import { llxprtImporter } from './llxprt.js';
import { oauthCredsImporter } from './oauth-creds.js';
import { ownFormatImporter } from './own-format.js';
import type { TokenImporter } from './token-importer.js';

export type { TokenImporter } from './token-importer.js';

/**
 * Tried in order; the first whose `detect` matches parses the file. The formats that carry
 * `access_token` beside their own expiry field come before ours, which would ignore that field.
 */
export const tokenImporters: readonly TokenImporter[] = [
  claudeCodeImporter,
  codexAuthImporter,
  oauthCredsImporter,
  llxprtImporter,
  ownFormatImporter,
  camelCaseImporter,
];

export interface ImportedCredential {
  credential: StoredCredential;
  /** The format's name, to tell the user what was read. */
  format: string;
  /** Written by another tool, which may keep refreshing (and so rotating) the same login. */
  foreign: boolean;
}

/**
 * Reads a file given to `auth import` in any supported format. With `provider`, a format that
 * belongs to another provider (a Claude Code login imported into codex) is refused.
 */
export function readImportFile(json: unknown, source: string, provider?: ProviderName): ImportedCredential {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InvalidTokenFileError(source, ['expected a JSON object']);
  }
  const record = json as Record<string, unknown>;
  const importer = tokenImporters.find((candidate) => candidate.detect(record));
  if (!importer) {
    throw new InvalidTokenFileError(source, [
      `not a known token format; accepted: ${tokenImporters.map((candidate) => candidate.name).join('; ')}`,
    ]);
  }
  if (provider !== undefined && importer.providers !== undefined && !importer.providers.includes(provider)) {
    throw new InvalidTokenFileError(source, [
      `it is a ${importer.name}, which holds a login for ` +
        `${importer.providers.join(' or ')}, not ${provider}; import it with: ` +
        `switchyard auth ${importer.providers[0]} import BUCKET --from ${source}`,
    ]);
  }
  return {
    credential: importer.parse(record, source),
    format: importer.name,
    foreign: importer !== ownFormatImporter && importer !== camelCaseImporter,
  };
}

/** Reads a file given to `auth import` in any supported format into a stored credential. */
export function parseImportFile(json: unknown, source: string, provider?: ProviderName): StoredCredential {
  return readImportFile(json, source, provider).credential;
}
