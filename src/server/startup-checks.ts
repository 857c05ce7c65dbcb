import type { Server } from 'node:http';
import { ClientDirectory, ClientKeyError } from '../clients/client-directory.js';
import type { SwitchyardPaths } from '../config/paths.js';
import type { Settings } from '../config/settings.js';
import { readAnsweringServerFile } from './server-file.js';
import { StartupError } from './startup-error.js';

/**
 * A second server on one home would overwrite server.json, and remove it when it stops: the CLI
 * (`profile load`, `stats`) would lose the first. It may run beside it with a file of its own.
 */
export async function refuseBesideAnotherServer(paths: SwitchyardPaths): Promise<void> {
  const other = await readAnsweringServerFile(paths);
  if (other === null) return;
  throw new StartupError(
    `Another switchyard server already runs from this home (pid ${other.pid}, ${other.url}, ` +
      `recorded in ${paths.server}). Stop it first, or give this server its own file: ` +
      `switchyard serve --server-file PATH (or SWITCHYARD_SERVER_FILE=PATH); the CLI reaches ` +
      `that server with SWITCHYARD_SERVER_FILE=PATH.`,
  );
}

/** Listens, or says why not in words a user can act on (the port taken, the address refused). */
export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new StartupError(
          error.code === 'EADDRINUSE'
            ? `Port ${port} on ${host} is already in use: pass --port N or stop the other server.`
            : `Cannot listen on ${host}:${port}: ${error.message}`,
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** The client keys of config.yaml and SWITCHYARD_API_KEY; a bad key stops the start with its message. */
export function openClientDirectory(clients: Settings['clients'], environment: NodeJS.ProcessEnv): ClientDirectory {
  try {
    return new ClientDirectory(clients, nonEmpty(environment.SWITCHYARD_API_KEY), environment);
  } catch (error) {
    if (error instanceof ClientKeyError) throw new StartupError(error.message, { cause: error });
    throw error;
  }
}

/** An environment variable's value, or undefined when it is unset or blank. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
