// The Portkey AI gateway, installed on first use into bench/.portkey so switchyard's users never get it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startProcess } from './processes.mjs';

const prefix = fileURLToPath(new URL('./.portkey', import.meta.url));
const entry = `${prefix}/node_modules/@portkey-ai/gateway/build/start-server.js`;

export async function startPortkey(port) {
  if (!existsSync(entry)) {
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '@portkey-ai/gateway@1.15'], { stdio: 'ignore' });
  }
  const started = await startProcess([entry, '--headless', `--port=${port}`], { pattern: /Ready for connections|running at/, env: { NODE_ENV: 'production' } });
  // It prints before it answers; wait until it does.
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/`);
      if (answer.ok) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { url: `http://127.0.0.1:${port}`, ...started };
}
