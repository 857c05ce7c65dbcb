/** Why an encrypted token file (or Redis entry) could not be opened. */
export type TokenDecryptionReason = 'missing-key' | 'malformed-key' | 'wrong-key' | 'damaged' | 'unsupported-version';

/**
 * An encrypted token set that cannot be opened with the key at hand. The message names the
 * source and the fix; the entry itself is never rewritten because of this error.
 */
export class TokenDecryptionError extends Error {
  override readonly name = 'TokenDecryptionError';

  constructor(
    /** The file path (or store key) that was read. */
    readonly source: string,
    readonly reason: TokenDecryptionReason,
    /** Extra words for the message, e.g. what is wrong with the key; never a secret. */
    detail?: string,
    options?: { cause?: unknown },
  ) {
    super(decryptionMessage(source, reason, detail), options);
  }
}

function decryptionMessage(source: string, reason: TokenDecryptionReason, detail: string | undefined): string {
  const untouched = 'It was left untouched';
  switch (reason) {
    case 'missing-key':
      return (
        `${source} is encrypted, but SWITCHYARD_TOKEN_KEY is not set. ` +
        `${untouched}; set SWITCHYARD_TOKEN_KEY to the key it was written with.`
      );
    case 'malformed-key':
      return (
        `${source} is encrypted, but SWITCHYARD_TOKEN_KEY is not a usable key ` +
        `(${detail ?? 'malformed'}). ${untouched}; set SWITCHYARD_TOKEN_KEY to ` +
        `the 32-byte base64 key it was written with.`
      );
    case 'wrong-key':
      return (
        `${source} was encrypted with a different ` +
        `key${detail ? ` (${detail})` : ''}. ${untouched}; set ` +
        `SWITCHYARD_TOKEN_KEY to the key it was written with, or log in to this ` +
        `bucket again.`
      );
    case 'damaged':
      return (
        `${source} is encrypted but fails its integrity check (altered or ` +
        `damaged). ${untouched}; restore it from a backup or log in to this ` +
        `bucket again.`
      );
    case 'unsupported-version':
      return (
        `${source} uses an encryption format this switchyard does not know ` +
        `(${detail ?? 'unknown version'}). ${untouched}; upgrade switchyard, or ` +
        `log in to this bucket again.`
      );
  }
}
