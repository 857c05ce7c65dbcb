import { spawn } from 'node:child_process';

/** What a command-line client printed and how it ended. */
export interface ClientResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Any host but switchyard's is sent to a proxy that refuses at once (port 9 on loopback, where
 * nothing listens), so a client that tries to reach a real provider, telemetry or an update
 * server fails fast instead of leaving the machine; loopback itself bypasses the proxy.
 */
export const offlineProxyEnvironment: NodeJS.ProcessEnv = {
  HTTPS_PROXY: 'http://127.0.0.1:9',
  HTTP_PROXY: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
  http_proxy: 'http://127.0.0.1:9',
  ALL_PROXY: 'http://127.0.0.1:9',
  NO_PROXY: '127.0.0.1,localhost',
  no_proxy: '127.0.0.1,localhost',
};

/** A generous bound on one client run, so a hung client fails the test instead of the whole suite. */
const overallTimeoutMs = 120_000;

/**
 * Runs a client binary with exactly `environment` (plus PATH): nothing of the developer's own
 * HOME, keys or proxies leaks in. The process group is killed if it outlives the overall bound.
 */
export function runClient(
  binary: string,
  args: string[],
  environment: NodeJS.ProcessEnv,
  options: { cwd: string },
): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, ...offlineProxyEnvironment, ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[test] ${binary} still running after ${overallTimeoutMs} ms: killed`;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, overallTimeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
