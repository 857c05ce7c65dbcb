import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ProviderName } from '../../core/types.js';

/** A place where another tool keeps a login that `auth import` can read. */
export interface ImportSource {
  path: string;
  tool: string;
}

/**
 * Where each provider's own tool (and llxprt-code) keeps its login, in the order tried.
 * `HOME`, `CLAUDE_CONFIG_DIR` and `CODEX_HOME` come from `environment`, so tests point them anywhere.
 */
export function defaultImportSources(provider: ProviderName, bucket: string, environment: NodeJS.ProcessEnv): ImportSource[] {
  const home = environment.HOME?.trim() || homedir();
  const sources: ImportSource[] = [];
  const claudeDirectory = environment.CLAUDE_CONFIG_DIR?.trim() || join(home, '.claude');
  const codexDirectory = environment.CODEX_HOME?.trim() || join(home, '.codex');
  if (provider === 'anthropic') sources.push({ path: join(claudeDirectory, '.credentials.json'), tool: 'Claude Code' });
  if (provider === 'codex') sources.push({ path: join(codexDirectory, 'auth.json'), tool: 'Codex CLI' });
  if (provider === 'gemini') sources.push({ path: join(home, '.gemini', 'oauth_creds.json'), tool: 'Gemini CLI' });
  if (provider === 'qwen') sources.push({ path: join(home, '.qwen', 'oauth_creds.json'), tool: 'Qwen Code' });
  if (provider === 'openai') return sources; // API keys only: nothing to import
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
