import type { SwitchyardPaths } from '../config/paths.js';
import { readServerFile } from '../server/server-file.js';
import { CliError } from './io.js';

export interface ServerConnection {
  url: string;
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

/**
 * The server running from this SWITCHYARD_HOME, if any. The CLI authenticates with the same
 * environment the user would give it (SWITCHYARD_ADMIN_KEY, else SWITCHYARD_API_KEY).
 */
export async function findRunningServer(
  paths: SwitchyardPaths,
  environment: NodeJS.ProcessEnv,
): Promise<ServerConnection | null> {
  const file = await readServerFile(paths);
  if (!file) return null;
  const key = environment.SWITCHYARD_ADMIN_KEY || environment.SWITCHYARD_API_KEY;
  const connection: ServerConnection = {
    url: file.url,
    async request(method, path, body) {
      const headers: Record<string, string> = {};
      if (key) headers.authorization = `Bearer ${key}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      try {
        response = await fetch(`${file.url}${path}`, {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(5_000),
        });
      } catch (error) {
        throw new CliError(
          `The server recorded at ${file.url} did not answer ` +
            `(${error instanceof Error ? error.message : String(error)}).`,
        );
      }
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // keep the text
      }
      return { status: response.status, body: parsed };
    },
  };
  // A stale file from a crashed server whose pid was reused answers nothing: treat as not running.
  try {
    const health = await fetch(`${file.url}/health`, { signal: AbortSignal.timeout(1_000) });
    if (!health.ok) return null;
  } catch {
    return null;
  }
  return connection;
}

/** The message of a switchyard error answer, for printing. */
export function errorMessageOf(body: unknown): string {
  if (typeof body === 'object' && body !== null) {
    const error = (body as { error?: { message?: unknown } }).error;
    if (error && typeof error.message === 'string') return error.message;
  }
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** Why the running server refused the CLI, with the fix when it wants a key this shell does not give. */
export function refusalOf(answer: { status: number; body: unknown }): string {
  const message = errorMessageOf(answer.body);
  if (answer.status !== 401 && answer.status !== 403) return message;
  return (
    `${message} Set SWITCHYARD_ADMIN_KEY (or SWITCHYARD_API_KEY) in this ` +
    `shell to the key the server was started with.`
  );
}
