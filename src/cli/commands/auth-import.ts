import { readFile } from 'node:fs/promises';
import {
  decryptTokenJson,
  defaultImportSources,
  findImportSource,
  type ImportedCredential,
  isEncryptedEnvelope,
  readImportFile,
  readTokenKey,
  type TokenStore,
} from '../../auth/index.js';
import type { ProviderName } from '../../core/types.js';
import { providerDefinitions } from '../../providers/registry.js';
import { CliError, type CliIo } from '../io.js';

/**
 * `auth <provider> import <bucket> [--from FILE]`: reads FILE, or the provider's own tool's
 * login from its usual place, and stores it as the bucket (under the bucket's refresh lock,
 * so a running refresh never interleaves with it).
 */
export async function importBucket(
  io: CliIo,
  store: TokenStore,
  provider: ProviderName,
  bucket: string,
  from: string | undefined,
): Promise<void> {
  const source = from ?? (await defaultSource(io, provider, bucket));
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${source} is not valid JSON; expected a token file.`);
  }
  let imported: ImportedCredential;
  try {
    // switchyard's own encrypted file (another machine with the same key) opens with this key.
    const plain = isEncryptedEnvelope(json) ? decryptTokenJson(json, readTokenKey(io.environment), source) : json;
    imported = readImportFile(plain, source, provider);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  const write = () => store.write(provider, bucket, imported.credential);
  await (store.refreshLock ? store.refreshLock.withLock(provider, bucket, write) : write());
  // Rotating refresh tokens: whichever of the two refreshes first leaves the other with a dead one.
  const shared = imported.foreign
    ? ` The tool that wrote it may keep refreshing the same login; if either is ` +
      `later refused, give switchyard its own login (switchyard auth ${provider} ` +
      `login ${bucket}).`
    : '';
  io.stdout(
    `Imported ${provider}/${bucket} from ${source} (${imported.format}). A ` +
      `running server picks it up at once.${shared}\n`,
  );
}

async function defaultSource(io: CliIo, provider: ProviderName, bucket: string): Promise<string> {
  const sources = defaultImportSources(provider, bucket, io.environment);
  if (sources.length === 0) {
    throw new CliError(
      `${provider} buckets use API keys, which are never imported: run ` +
        `switchyard auth ${provider} key ${bucket} --env VARIABLE.`,
    );
  }
  const found = await findImportSource(sources);
  if (!found) {
    const places = sources.map((source) => `${source.path} (${source.tool})`).join(', ');
    const hint = providerDefinitions[provider].login?.importHint;
    const hintText = hint === undefined ? '' : ` ${hint}`;
    const command = `switchyard auth ${provider} import ${bucket} --from FILE`;
    const advice = `Log in with that tool first, or name the file: ${command}.`;
    throw new CliError(`No ${provider} login found to import; looked in: ${places}. ${advice}${hintText}`);
  }
  io.stdout(`Reading the ${found.tool} login at ${found.path}.\n`);
  return found.path;
}
