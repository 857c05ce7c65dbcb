import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export const directoryMode = 0o700;
export const secretFileMode = 0o600;

/** Creates a directory (and parents) as 0700, and tightens it if it already exists looser. */
export async function ensurePrivateDirectory(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: directoryMode });
  const info = await stat(path);
  if ((info.mode & 0o777) !== directoryMode) await chmod(path, directoryMode);
}

/**
 * Writes a file atomically (temporary file, fsync, rename) with mode 0600 inside a 0700
 * directory, so a crash leaves either the old or the new content, never a torn one.
 */
export async function writePrivateFile(path: string, content: string | Buffer): Promise<void> {
  await ensurePrivateDirectory(dirname(path));
  // Imported with the first write: at load it starts worker_threads, which `serve` need not
  // pay for before it listens (its first write, server.json, comes after).
  const { default: writeFileAtomic } = await import('write-file-atomic');
  await writeFileAtomic(path, content, { mode: secretFileMode, fsync: true });
}

export async function writePrivateJson(path: string, value: unknown): Promise<void> {
  await writePrivateFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Reads a text file; a missing file reads as null (any other failure is thrown). */
export async function readTextOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export class CorruptFileError extends Error {
  override readonly name = 'CorruptFileError';
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(
      `${path} is not valid JSON (${cause instanceof Error ? cause.message : String(cause)}). ` +
        'It was left untouched; fix or remove it by hand.',
      { cause },
    );
  }
}

/** Reads a JSON file; missing reads as null, unparsable throws CorruptFileError (never overwritten). */
export async function readJsonOrNull(path: string): Promise<unknown> {
  const text = await readTextOrNull(path);
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CorruptFileError(path, error);
  }
}
