import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('provider simulator CLI entry', () => {
  let directory = '';
  let entry = '';

  beforeAll(async () => {
    // Bundle the entry as the build would emit it, so the test needs no prior `npm run build`.
    directory = await mkdtemp(join(tmpdir(), 'provider-simulator-'));
    entry = join(directory, 'main.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./main.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: entry,
      logLevel: 'silent',
    });
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('prints one JSON line with its URL, serves, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [entry, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const newline = output.indexOf('\n');
        if (newline !== -1) resolve(output.slice(0, newline));
      });
      child.once('exit', () => reject(new Error(`exited before printing its URL: ${output}`)));
    });
    const { url } = JSON.parse(line) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const added = await fetch(`${url}/__sim/accounts`, { method: 'POST', body: JSON.stringify({ name: 'kim' }) });
    expect(added.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a port that is not a number', async () => {
    const child = spawn(process.execPath, [entry, '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let errorOutput = '';
    child.stderr.on('data', (chunk: Buffer) => (errorOutput += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(errorOutput).toContain('Expected `--port` to be a port number');
  });
});
