import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

export const directoryMode = 0o700;
export const secretFileMode = 0o600;

/**
 * A symbolic link where switchyard keeps its own files. Following it would write tokens, or
 * tighten modes, wherever it points (a shared folder, another user's file), so it is refused.
 */
export class SymbolicLinkError extends Error {
  override readonly name = 'SymbolicLinkError';
  constructor(readonly path: string) {
    super(
      `${path} is a symbolic link; switchyard does not follow links where it keeps its files, ` +
        `since a link would send tokens or mode changes outside SWITCHYARD_HOME. Replace it with ` +
        `the real file or folder (or point SWITCHYARD_HOME at the real folder).`,
    );
  }
}

/** Throws SymbolicLinkError when `path` is a link; a missing path is fine. */
export async function refuseSymbolicLink(path: string): Promise<void> {
  try {
    if ((await lstat(path)).isSymbolicLink()) throw new SymbolicLinkError(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Creates a directory (and parents) as 0700, and tightens it if it already exists looser; never through a link. */
export async function ensurePrivateDirectory(path: string): Promise<void> {
  await refuseSymbolicLink(path);
  await mkdir(path, { recursive: true, mode: directoryMode });
  const info = await lstat(path);
  if (info.isSymbolicLink()) throw new SymbolicLinkError(path);
  if ((info.mode & 0o777) !== directoryMode) await chmod(path, directoryMode);
}

/**
 * ensurePrivateDirectory for `root` and every folder from it down to `path`, in order: a link
 * anywhere below `root` is refused before anything is made through it.
 */
export async function ensurePrivateDirectoriesFrom(root: string, path: string): Promise<void> {
  await ensurePrivateDirectory(root);
  let current = root;
  for (const part of relative(root, path).split(sep).filter(Boolean)) {
    current = join(current, part);
    await ensurePrivateDirectory(current);
  }
}

/**
 * Writes a file atomically (temporary file, fsync, rename) with mode 0600 inside a 0700
 * directory, so a crash leaves either the old or the new content, never a torn one.
 */
export async function writePrivateFile(path: string, content: string | Buffer): Promise<void> {
  await ensurePrivateDirectory(dirname(path));
  // write-file-atomic writes through a link to its target: a link is refused instead.
  await refuseSymbolicLink(path);
  // Imported with the first write: at load it starts worker_threads, which `serve` need not
  // pay for before it listens (its first write, server.json, comes after).
  const { default: writeFileAtomic } = await import('write-file-atomic');
  await writeFileAtomic(path, content, { mode: secretFileMode, fsync: true });
}

export async function writePrivateJson(path: string, value: unknown): Promise<void> {
  await writePrivateFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Reads a text file; a missing file reads as null (any other failure is thrown). The file itself
 * is opened without following a link (O_NOFOLLOW): a link reads as SymbolicLinkError.
 */
export async function readTextOrNull(path: string): Promise<string | null> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new SymbolicLinkError(path);
    throw error;
  }
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
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
