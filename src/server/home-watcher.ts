import { type FSWatcher, watch } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename } from 'node:path';
import type { SwitchyardPaths } from '../config/paths.js';

export interface HomeWatcherOptions {
  paths: SwitchyardPaths;
  /** Called once edits to config.yaml have settled. */
  onConfigChange: () => Promise<void>;
  /** Called once edits under profiles/ have settled. */
  onProfilesChange: () => Promise<void>;
  /** An editor saves in several steps (truncate, write, rename): only the settled file is read. */
  debounceMs?: number;
}

export interface HomeWatcher {
  close(): void;
}

/**
 * Watches SWITCHYARD_HOME's config.yaml and profiles/ so that a running server takes edits without a
 * restart. The folders are watched, not the files: an atomic save replaces config.yaml by a rename,
 * which a watch on the old file would not see. Each kind of change runs one at a time; an edit made
 * while one runs is read again after it.
 */
export async function watchHome(options: HomeWatcherOptions): Promise<HomeWatcher> {
  const debounceMs = options.debounceMs ?? 200;
  // Created (0700, as profile save would) so that the first profile saved is seen too.
  await mkdir(options.paths.profiles, { recursive: true, mode: 0o700 });
  const configName = basename(options.paths.config);
  const config = debounced(options.onConfigChange, debounceMs);
  const profiles = debounced(options.onProfilesChange, debounceMs);
  const watchers: FSWatcher[] = [];
  const watchFolder = (folder: string, onEvent: (file: string | null) => void) => {
    try {
      const watcher = watch(folder, { persistent: false }, (_event, file) => onEvent(file));
      // A folder removed while watched ends its watch; the server keeps its last settings.
      watcher.on('error', () => watcher.close());
      watchers.push(watcher);
    } catch {
      // A folder that cannot be watched (gone, or no inotify left): edits then need a restart.
    }
  };
  watchFolder(options.paths.home, (file) => {
    if (file === null || file === configName) config.trigger();
  });
  watchFolder(options.paths.profiles, (file) => {
    if (file === null || file.endsWith('.yaml') || file.endsWith('.yml')) profiles.trigger();
  });
  return {
    close() {
      config.cancel();
      profiles.cancel();
      for (const watcher of watchers) watcher.close();
    },
  };
}

/** Runs `task` once calls have stopped for `delayMs`, never two at once (a call meanwhile runs it again after). */
function debounced(task: () => Promise<void>, delayMs: number) {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let cancelled = false;
  const run = async () => {
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await task();
    } catch {
      // The task reports its own failures; a watcher must never end the server.
    } finally {
      running = false;
      if (again && !cancelled) {
        again = false;
        schedule();
      }
    }
  };
  const schedule = () => {
    if (cancelled) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void run(), delayMs);
    timer.unref();
  };
  return {
    trigger: schedule,
    cancel() {
      cancelled = true;
      if (timer) clearTimeout(timer);
    },
  };
}
