import { spawn } from 'node:child_process';
import { binaryPath } from './run-binary.js';

/**
 * Runs `switchyard stats buckets --watch ...` until `frames` frames are out (counted by
 * `frameMarker`), then sends SIGINT as Ctrl-C would, and resolves with how it ended.
 */
export function watchUntil(
  args: string[],
  environment: NodeJS.ProcessEnv,
  frames: number,
  frameMarker: RegExp,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binaryPath, 'stats', 'buckets', '--watch', ...args], {
      env: { PATH: process.env.PATH, ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`watch did not draw ${frames} frames: ${stdout}${stderr}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const seen = stdout.match(new RegExp(frameMarker.source, 'gm'))?.length ?? 0;
      if (seen >= frames && !interrupted) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
