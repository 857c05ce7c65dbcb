import { unlink } from 'node:fs/promises';
import { z } from 'zod';
import type { SwitchyardPaths } from '../config/paths.js';
import { readJsonOrNull, writePrivateJson } from '../config/secure-files.js';

const serverFileSchema = z.object({ pid: z.number().int(), url: z.string(), startedAt: z.string() });

/** What a running server tells the CLI about itself (no secrets: the CLI brings its own keys). */
export type ServerFile = z.infer<typeof serverFileSchema>;

export async function writeServerFile(paths: SwitchyardPaths, content: ServerFile): Promise<void> {
  await writePrivateJson(paths.server, content);
}

/** The running server, or null when none is recorded or the recorded process is gone. */
export async function readServerFile(paths: SwitchyardPaths): Promise<ServerFile | null> {
  const raw = await readJsonOrNull(paths.server).catch(() => null);
  const parsed = serverFileSchema.safeParse(raw);
  if (!parsed.success) return null;
  try {
    process.kill(parsed.data.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return null;
  }
  return parsed.data;
}

/**
 * The server recorded in the file when it still answers /health: a live pid alone may be a
 * reused one after a crash. Another server in that state must not be replaced (see start-server).
 */
export async function readAnsweringServerFile(paths: SwitchyardPaths): Promise<ServerFile | null> {
  const file = await readServerFile(paths);
  if (file === null || file.pid === process.pid) return null;
  try {
    const health = await fetch(`${file.url}/health`, { signal: AbortSignal.timeout(1_000) });
    await health.body?.cancel();
    return health.ok ? file : null;
  } catch {
    return null;
  }
}

/** Removes the file only if it still describes this process (another server may have replaced it). */
export async function removeServerFile(paths: SwitchyardPaths, pid: number): Promise<void> {
  const raw = await readJsonOrNull(paths.server).catch(() => null);
  const parsed = serverFileSchema.safeParse(raw);
  if (parsed.success && parsed.data.pid === pid) await unlink(paths.server).catch(() => undefined);
}
