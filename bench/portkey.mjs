// The Portkey AI gateway (@portkey-ai/gateway 1.15.x), installed by the benchmark on first use
// into bench/.portkey (git-ignored), so that switchyard's users never install it.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startProcess } from './processes.mjs';

const prefix = fileURLToPath(new URL('./.portkey', import.meta.url));
const packageDirectory = `${prefix}/node_modules/@portkey-ai/gateway`;
const entry = `${packageDirectory}/build/start-server.js`;
const wantedVersion = /^1\.15\./;

function installedVersion() {
  if (!existsSync(entry)) return undefined;
  try {
    return JSON.parse(readFileSync(`${packageDirectory}/package.json`, 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Installs Portkey 1.15.x unless it is there; resolves with the installed version. */
export async function ensurePortkey(log) {
  const present = installedVersion();
  if (present && wantedVersion.test(present)) return present;
  log(`  installing @portkey-ai/gateway@1.15 into bench/.portkey (first use only)`);
  await promisify(execFile)(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '@portkey-ai/gateway@1.15',
    ],
    { timeout: 180_000 },
  );
  const version = installedVersion();
  if (!version || !wantedVersion.test(version))
    throw new Error(`npm installed @portkey-ai/gateway ${version ?? 'nowhere'}`);
  return version;
}

/** Starts Portkey headless on `port` and resolves once it answers HTTP, with { url, pid, stop }. */
export async function startPortkeyProcess(port) {
  const started = await startProcess([entry, '--headless', `--port=${port}`], {
    pattern: /Ready for connections|running at/,
    env: { NODE_ENV: 'production' },
    label: 'Portkey gateway',
  });
  const url = `http://127.0.0.1:${port}`;
  // It prints (after a spinner) slightly before it answers; poll until it does.
  for (let attempt = 0; ; attempt += 1) {
    try {
      await (await fetch(`${url}/`)).arrayBuffer();
      break;
    } catch (error) {
      if (attempt >= 400) {
        await started.stop();
        throw new Error(
          `Portkey printed that it is ready but does not answer: ${error instanceof Error ? error.message : error}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  return { url, pid: started.pid, stop: started.stop };
}
