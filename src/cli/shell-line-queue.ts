import type { Interface } from 'node:readline';

/**
 * The shell's input as a queue of lines. A command that asks for a line of its own (a login
 * waiting for the pasted code) takes the next one from the same queue, so the shell never also
 * reads that line as a command.
 */
export interface LineQueue {
  /** The next line, or undefined once the input has ended. */
  next(signal?: AbortSignal): Promise<string | undefined>;
}

export function lineQueue(lines: Interface): LineQueue {
  const waiting: string[] = [];
  const readers: ((line: string | undefined) => void)[] = [];
  let closed = false;
  lines.on('line', (line) => {
    const reader = readers.shift();
    if (reader) reader(line);
    else waiting.push(line);
  });
  lines.on('close', () => {
    closed = true;
    for (const reader of readers.splice(0)) reader(undefined);
  });
  return {
    next(signal) {
      if (waiting.length > 0) return Promise.resolve(waiting.shift());
      if (closed) return Promise.resolve(undefined);
      return new Promise((resolve, reject) => {
        const reader = (line: string | undefined) => {
          signal?.removeEventListener('abort', abort);
          resolve(line);
        };
        const abort = () => {
          readers.splice(readers.indexOf(reader), 1);
          reject(signal?.reason ?? new Error('aborted'));
        };
        signal?.addEventListener('abort', abort, { once: true });
        readers.push(reader);
      });
    },
  };
}
