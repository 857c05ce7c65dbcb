import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { type BinaryResult, binaryPath } from './run-binary.js';

/** A running `switchyard` whose output can be awaited as it comes and whose stdin stays open. */
export interface LiveBinary {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the first match of `pattern` in stdout so far or to come. */
  waitForOutput(pattern: RegExp): Promise<RegExpExecArray>;
  /** Types a line, as a user pasting a code would. */
  typeLine(text: string): void;
  /** Exit code and everything printed. */
  finished: Promise<BinaryResult>;
}

/** Starts the real binary (built dist/) with its own environment; for interactive commands such as logins. */
export function startBinary(args: string[], environment: NodeJS.ProcessEnv): LiveBinary {
  const child = spawn(process.execPath, [binaryPath, ...args], {
    env: { PATH: process.env.PATH, ...environment },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(stdout);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<BinaryResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    child,
    waitForOutput: (pattern) => {
      const match = pattern.exec(stdout);
      if (match) return Promise.resolve(match);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void finished.then((result) =>
          reject(
            new Error(
              `switchyard exited (${result.code}) before printing ${pattern}: ${result.stdout}${result.stderr}`,
            ),
          ),
        );
      });
    },
    typeLine: (text) => child.stdin.write(`${text}\n`),
    finished,
  };
}
