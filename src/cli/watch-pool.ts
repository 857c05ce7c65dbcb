import type { PoolView } from '../dashboard/pool-view.js';
import { renderPoolText } from '../dashboard/render-pool-text.js';
import type { CliIo } from './io.js';

export interface WatchOptions {
  load: () => Promise<PoolView>;
  intervalMs: number;
  /** Aborted by Ctrl-C; the loop then ends and the terminal is left as it was. */
  signal: AbortSignal;
  /** One JSON object per line instead of text. */
  json: boolean;
}

const hideCursor = '\u001B[?25l';
const showCursor = '\u001B[?25h';
const clearScreen = '\u001B[2J';
const home = '\u001B[H';
const clearToLineEnd = '\u001B[K';
const clearBelow = '\u001B[J';

/**
 * Shows the pool again every interval until aborted. On a terminal each frame is drawn over
 * the last one (home, then each line cleared to its end, then everything below), so nothing
 * scrolls or flickers; otherwise each frame is printed as plain lines, ready for a file or pipe.
 */
export async function watchPool(io: CliIo, options: WatchOptions): Promise<void> {
  const drawInPlace = io.interactive && !options.json;
  if (drawInPlace) io.stdout(hideCursor + clearScreen);
  try {
    let first = true;
    while (!options.signal.aborted) {
      let text: string;
      try {
        const view = await options.load();
        text = options.json ? `${JSON.stringify(view)}\n` : renderPoolText(view, new Date().toLocaleTimeString());
      } catch (error) {
        text =
          `switchyard: cannot read the pool ` +
          `(${error instanceof Error ? error.message : String(error)}); trying ` +
          `again.\n`;
      }
      if (options.signal.aborted) break;
      if (drawInPlace) io.stdout(home + text.replaceAll('\n', `${clearToLineEnd}\n`) + clearBelow);
      else io.stdout(first || options.json ? text : `\n${text}`);
      first = false;
      await pause(options.intervalMs, options.signal);
    }
  } finally {
    if (drawInPlace) io.stdout(showCursor);
  }
}

function pause(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
