import type { SwitchyardPaths } from '../config/paths.js';

/** Where a command writes and what it runs in; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  environment: NodeJS.ProcessEnv;
  paths: SwitchyardPaths;
  /** Whether stdout is a terminal (colour, spinners, live views). */
  interactive: boolean;
  /** Where a login reads a pasted code (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Reads one typed line (a pasted login code); the shell gives its own, so the line is not also a command. */
  readLine?: (signal: AbortSignal) => Promise<string>;
  /** Inside the interactive shell: help is `/help command`, not `switchyard command --help`. */
  shell?: boolean;
}

/** A failure the user caused or can fix; printed without a stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
