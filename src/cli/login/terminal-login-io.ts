import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoginIo } from '../../auth/login/index.js';
import type { CliIo } from '../io.js';

export interface TerminalLoginOptions {
  /** False with --no-browser: the URL is printed and nothing is opened. */
  openBrowser: boolean;
}

/** The login's view of the terminal: lines on stdout, a spinner on stderr when it is a terminal, stdin for pasting. */
export function terminalLoginIo(io: CliIo, options: TerminalLoginOptions): LoginIo {
  return {
    say: (text) => io.stdout(`${text}\n`),
    wait: (text) => {
      if (!io.interactive) {
        io.stderr(`${text}...\n`);
        return () => undefined;
      }
      let spinner: { stop(): unknown } | undefined;
      let stopped = false;
      // Loaded on first use: only logins pay for it.
      void import('yocto-spinner').then(({ default: yoctoSpinner }) => {
        if (!stopped) spinner = yoctoSpinner({ text, handleSignals: false }).start();
      });
      return () => {
        stopped = true;
        spinner?.stop();
      };
    },
    openBrowser: async (url) => {
      if (!options.openBrowser) return;
      try {
        const { default: open } = await import('open');
        await open(url);
      } catch {
        io.stdout('Could not open a browser: open the URL above yourself.\n');
      }
    },
    readLine: (signal) => (io.readLine ? io.readLine(signal) : readLine(io.stdin ?? process.stdin, signal)),
    sleep: (milliseconds, signal) => sleep(milliseconds, undefined, { signal }),
    now: () => Date.now(),
    fetch: globalThis.fetch,
  };
}

function readLine(input: NodeJS.ReadableStream, signal: AbortSignal): Promise<string> {
  const lines = createInterface({ input, terminal: false });
  return new Promise((resolve, reject) => {
    let answered = false;
    const abort = (): void => lines.close();
    signal.addEventListener('abort', abort, { once: true });
    lines.once('line', (line) => {
      answered = true;
      lines.close();
      // A pipe left open by the caller would keep the process alive after the login; a terminal
      // is left as it is (the interactive shell reads it next).
      const handle = input as NodeJS.ReadableStream & { isTTY?: boolean; unref?: () => void };
      if (!handle.isTTY) handle.unref?.();
      resolve(line);
    });
    lines.once('close', () => {
      signal.removeEventListener('abort', abort);
      if (!answered) reject(new Error('standard input closed before a code was pasted.'));
    });
  });
}
