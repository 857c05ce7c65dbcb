import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import lockfile from 'proper-lockfile';

/**
 * The command-line clients, pinned. Each runs on Node 20 and works against a local base URL:
 * - Claude Code 2.1.112 is the last release shipped as JavaScript (`cli.js`, engines >=18); later
 *   ones are a native binary unpacked by a postinstall script, and from 2.1.198 ask for Node 22.
 * - Codex CLI's binary comes from the platform package (`@openai/codex-linux-x64`, an optional
 *   dependency), so no install script is needed.
 * - Gemini CLI is one bundled file; its optional native helpers (keytar, node-pty) are not used
 *   by `gemini -p` with an API key.
 */
export const clientPackages = {
  claude: { name: '@anthropic-ai/claude-code', version: '2.1.112', bin: 'claude' },
  codex: { name: '@openai/codex', version: '0.171.0', bin: 'codex' },
  gemini: { name: '@google/gemini-cli', version: '0.61.0', bin: 'gemini' },
} as const;

export type ClientName = keyof typeof clientPackages;

/** The repository's ignored cache folder (`.cache/real-clients/`), shared by every test run of this clone. */
export const installFolder = fileURLToPath(new URL('../../../.cache/real-clients/', import.meta.url));

const installTimeoutMs = 240_000;

function manifest(): string {
  const dependencies = Object.fromEntries(Object.values(clientPackages).map((client) => [client.name, client.version]));
  return `${JSON.stringify({ name: 'switchyard-real-clients', private: true, description: 'Installed by test/real-clients; not part of switchyard', dependencies }, null, 2)}\n`;
}

/** Runs npm and keeps its output, for the failure message. */
function runNpm(
  args: string[],
  folder: string,
  environment: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, {
      cwd: folder,
      env: {
        ...process.env,
        npm_config_update_notifier: 'false',
        npm_config_fund: 'false',
        npm_config_audit: 'false',
        ...environment,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), installTimeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * Installs the three CLIs from the npm registry into `.cache/real-clients/` on first use (under a
 * lock, since the three test files start at once) and returns the path of the asked one's binary.
 * Throws, never skips, when the registry cannot be reached: these tests must not pass unseen.
 */
export function installClient(client: ClientName): Promise<string> {
  return installClientInto(installFolder, client, {});
}

/** `installClient` into any folder, with extra npm environment (the failure test points npm at a dead registry). */
export async function installClientInto(
  folder: string,
  client: ClientName,
  environment: NodeJS.ProcessEnv,
): Promise<string> {
  const binary = join(folder, 'node_modules', '.bin', clientPackages[client].bin);
  const wanted = manifest();
  const manifestPath = join(folder, 'package.json');
  const markerPath = join(folder, 'installed.txt');
  const installed = async () => existsSync(binary) && (await readFile(markerPath, 'utf8').catch(() => '')) === wanted;
  if (await installed()) return binary;

  await mkdir(folder, { recursive: true });
  const release = await lockfile.lock(folder, {
    stale: installTimeoutMs + 30_000,
    retries: { retries: 600, minTimeout: 500, maxTimeout: 1000 },
  });
  try {
    if (await installed()) return binary;
    await writeFile(manifestPath, wanted);
    // --ignore-scripts: none of the pinned versions needs one (see clientPackages), and npm 11
    // would not run unapproved ones anyway; being explicit keeps the install the same everywhere.
    const result = await runNpm(
      ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--omit=dev', '--loglevel=error'],
      folder,
      environment,
    );
    if (result.code !== 0 || !existsSync(binary)) {
      throw new Error(
        `Could not install the real command-line clients (${Object.values(clientPackages)
          .map((entry) => `${entry.name}@${entry.version}`)
          .join(', ')}) ` +
          `from the npm registry into ${folder} (npm exited with ${result.code ?? 'a timeout'}). ` +
          `The real-clients tests need the npm registry once per clone; check the ` +
          `network or npm's registry setting.\n${result.output.trim()}`,
      );
    }
    await writeFile(markerPath, wanted);
    return binary;
  } finally {
    await release();
  }
}
