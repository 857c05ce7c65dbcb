import type { ClientDirectory } from '../clients/client-directory.js';
import { guessableKeyProblem, keyAdvice } from '../clients/key-strength.js';
import type { ClientSettings } from '../config/client-settings.js';
import { bindReach, type ResolveHost } from './loopback.js';

/**
 * Why listening on `host` would expose the accounts, or undefined when it is safe: a bind that
 * other machines can reach needs client keys, and every key switchyard can see (the ones in its
 * environment; a `keyHash` is only a digest) must be one nobody can guess.
 */
export async function exposureProblem(
  host: string,
  clients: ClientDirectory,
  clientSettings: readonly ClientSettings[],
  environment: NodeJS.ProcessEnv,
  resolve?: ResolveHost,
): Promise<string | undefined> {
  const reach = await bindReach(host, resolve);
  if (reach.loopback) return undefined;
  if (!clients.required) {
    return (
      `Refusing to listen on ${host} without client keys (${reach.why}): anyone who can reach ` +
      `it could spend your accounts. Set SWITCHYARD_API_KEY or add clients ` +
      `(switchyard client add NAME), or bind 127.0.0.1.`
    );
  }
  const keys: { name: string; key: string | undefined }[] = [
    { name: 'SWITCHYARD_API_KEY', key: environment.SWITCHYARD_API_KEY },
    { name: 'SWITCHYARD_ADMIN_KEY', key: environment.SWITCHYARD_ADMIN_KEY },
    ...clientSettings
      .filter((client) => client.keyEnv !== undefined)
      .map((client) => ({ name: `${client.keyEnv} (client "${client.name}")`, key: environment[client.keyEnv!] })),
  ];
  for (const { name, key } of keys) {
    const trimmed = key?.trim();
    if (!trimmed) continue;
    const problem = guessableKeyProblem(trimmed);
    if (problem !== undefined) {
      return (
        `Refusing to listen on ${host} (${reach.why}) with a key that could be guessed: ${name} ${problem}. ` +
        `A server other machines can reach needs random keys; ${keyAdvice}.`
      );
    }
  }
  return undefined;
}
