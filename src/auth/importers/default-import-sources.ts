import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ProviderName } from '../../core/types.js';
import type { ToolLogin } from '../../providers/login-style.js';
import { providerDefinitions } from '../../providers/registry.js';

/** A place where another tool keeps a login that `auth import` can read. */
export type ImportSource = ToolLogin;

/**
 * Where the provider's own tool (and llxprt-code) keeps its login, in the order tried; none for a
 * provider without a login (API keys only). `HOME` and the tools' own variables (`CODEX_HOME`, …)
 * come from `environment`, so tests point them anywhere.
 */
export function defaultImportSources(
  provider: ProviderName,
  bucket: string,
  environment: NodeJS.ProcessEnv,
): ImportSource[] {
  const home = environment.HOME?.trim() || homedir();
  const sources: ImportSource[] = [];
  const login = providerDefinitions[provider].login;
  if (login === undefined) return sources; // API keys only: nothing to import
  if (login.ownToolLogin) sources.push(login.ownToolLogin(home, environment));
  const llxprt = join(home, '.llxprt', 'oauth');
  if (bucket !== 'default') sources.push({ path: join(llxprt, `${provider}-${bucket}.json`), tool: 'llxprt-code' });
  sources.push({ path: join(llxprt, `${provider}.json`), tool: 'llxprt-code' });
  return sources;
}

/** The first default source that exists as a file, or undefined (the caller lists the places). */
export async function findImportSource(sources: readonly ImportSource[]): Promise<ImportSource | undefined> {
  for (const source of sources) {
    const info = await stat(source.path).catch(() => undefined);
    if (info?.isFile()) return source;
  }
  return undefined;
}
