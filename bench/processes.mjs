// Starting and stopping the measured servers as child processes, so the load generator never
// shares their event loop and each one's memory can be read from /proc. Every child is stopped
// when the benchmark ends, also when it fails or is interrupted.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const running = new Set();
/** Kept output per child: enough to explain a failed start, never a growing log. */
const outputLimit = 16_384;

/**
 * Spawns `node args...` (or `command args...`) and resolves once its output matches `pattern`, with the match, the
 * child, the time it was spawned (performance.now()) and a `stop` function.
 */
export function startProcess(
  args,
  { env = {}, pattern, timeoutMs = 30_000, label = args[0], command = process.execPath } = {},
) {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let output = '';
    let settled = false;
    const keep = (chunk) => {
      output = (output + chunk.toString()).slice(-outputLimit);
    };
    const fail = (message) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stopProcess(child);
      reject(new Error(`${label} ${message}; its output:\n${output}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
    child.stdout.on('data', (chunk) => {
      if (settled) return;
      keep(chunk);
      const match = pattern.exec(output);
      if (!match) return;
      settled = true;
      clearTimeout(timer);
      resolve({ child, pid: child.pid, match, startedAt, stop: () => stopProcess(child), output: () => output });
    });
    child.stderr.on('data', keep);
    child.once('error', (error) => fail(`could not be spawned (${error.message})`));
    child.once('exit', (code, signal) => {
      running.delete(child);
      fail(`exited with ${code ?? signal}`);
    });
  });
}

/** SIGTERM, then SIGKILL after three seconds; resolves when the child has exited. */
export function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      running.delete(child);
      resolve();
      return;
    }
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
  });
}

/** Stops every child this process started and has not stopped yet. */
export async function stopAll() {
  await Promise.all([...running].map((child) => stopProcess(child)));
}

/** Resident memory of a process in MB (VmRSS from /proc/<pid>/status). */
export function residentMegabytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
  return kilobytes / 1024;
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times: 100 on Linux, asked once. */
let ticksPerSecond;

/**
 * CPU time a process has used so far, user and system, in microseconds (from /proc/<pid>/stat).
 * Unlike requests per second, CPU per request hardly depends on how fast the VM runs the other
 * processes, so it shows what each contender costs beside the throughput figures.
 */
export function cpuMicroseconds(pid) {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  // The command name in parentheses may hold spaces: count fields after its closing parenthesis.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const [user, system] = [fields[11], fields[12]].map((ticks) => (Number(ticks) * 1e6) / ticksPerSecond);
  return { user, system };
}

// Ctrl-C or a kill stops the children first; a crash that skips every `finally` still kills
// them synchronously on exit, so no server outlives the benchmark.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    process.stderr.write(`\nbenchmark interrupted (${signal}); stopping its servers\n`);
    void stopAll().then(() => process.exit(130));
  });
}
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
