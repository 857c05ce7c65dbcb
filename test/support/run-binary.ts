import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const binaryPath = fileURLToPath(new URL('../../bin/switchyard.js', import.meta.url));

export interface BinaryResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `switchyard` binary (built dist/) with its own SWITCHYARD_HOME. */
export function runBinary(args: string[], environment: NodeJS.ProcessEnv, input?: string): Promise<BinaryResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binaryPath, ...args], {
      env: { PATH: process.env.PATH, ...environment },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Starts `switchyard serve` and resolves once it prints where it listens. */
export function startServeProcess(
  args: string[],
  environment: NodeJS.ProcessEnv,
): Promise<{
  child: ChildProcess;
  url: string;
  stop: () => Promise<void>;
  output: () => { stdout: string; stderr: string };
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binaryPath, 'serve', ...args], {
      env: { PATH: process.env.PATH, ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}${errors}`)), 20_000);
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          child,
          url: match[1]!,
          output: () => ({ stdout: output, stderr: errors }),
          stop: () =>
            new Promise((done) => {
              child.once('close', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${output}${errors}`));
    });
  });
}
