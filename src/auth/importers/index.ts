import { InvalidTokenFileError } from '../invalid-token-file-error.js';
import type { StoredCredential } from '../token-file.js';
import { camelCaseImporter } from './camel-case.js';
import { ownFormatImporter } from './own-format.js';
import type { TokenImporter } from './token-importer.js';

export type { TokenImporter } from './token-importer.js';

/** Tried in order; the first whose `detect` matches parses the file. Other tools' formats join here. */
export const tokenImporters: readonly TokenImporter[] = [ownFormatImporter, camelCaseImporter];

/** Reads a file given to `auth import` in any supported format into a stored credential. */
export function parseImportFile(json: unknown, source: string, importers: readonly TokenImporter[] = tokenImporters): StoredCredential {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InvalidTokenFileError(source, ['expected a JSON object']);
  }
  const record = json as Record<string, unknown>;
  const importer = importers.find((candidate) => candidate.detect(record));
  if (!importer) {
    throw new InvalidTokenFileError(source, [
      `not a known token format; accepted: ${importers.map((candidate) => candidate.name).join('; ')}`,
    ]);
  }
  return importer.parse(record, source);
}
