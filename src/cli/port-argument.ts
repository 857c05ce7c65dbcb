import { CliError } from './io.js';

/** `--port` as a number: a whole number from 0 (any free port) to 65535, else a clear error. */
export function portArgument(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const port = Number(text);
  if (text.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port must be a whole number from 0 to 65535, not "${text}".`);
  return port;
}
