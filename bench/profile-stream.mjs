// A CPU profile of `switchyard serve` relaying 1,000-event streams, to see where a stream's cost
// goes: `node bench/profile-stream.mjs [--seconds=20] [--translated] [--connections=8]`.
// It starts the simulator and switchyard (with --cpu-prof) on loopback, warms up, streams for the
// given seconds, stops switchyard (which writes the profile) and prints the functions with the
// largest self time (`--keep=file.cpuprofile` keeps the profile, for Chrome's DevTools).
// `--translated`: an Anthropic client on an OpenAI bucket; `--chat`: a Chat client on the same
// bucket (same format); `--plain`: plain (non-streaming) requests through an API-key bucket;
// `--oauth`: the same through an Anthropic OAuth bucket, from a client sending no system prompt.

import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { prepareBenchHome } from './bench-home.mjs';
import { startSimulatorProcess, switchyardCommand } from './contenders.mjs';
import { measureThroughput } from './measure-throughput.mjs';
import { cpuMicroseconds, startProcess, stopAll } from './processes.mjs';
import { bodies, chatViaProfile, messagesAsOauthUpstream, messagesViaProfile, messagesWithKey } from './requests.mjs';
import { setBehavior } from './simulator-control.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) =>
  Number(argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const seconds = option('seconds', 20);
const connections = option('connections', 8);
const top = option('top', 30);

const bundleMapPath = new URL('../dist/bundle/switchyard.cjs.map', import.meta.url).pathname;
const bundleMap = existsSync(bundleMapPath)
  ? new SourceMap(JSON.parse(readFileSync(bundleMapPath, 'utf8')))
  : undefined;

const home = mkdtempSync(join(tmpdir(), 'switchyard-profile-'));
const profiles = mkdtempSync(join(tmpdir(), 'switchyard-cpu-'));
try {
  const simulator = await startSimulatorProcess();
  const { credentials, environment } = await prepareBenchHome(home, simulator.url, {
    stormRounds: 0,
    holdOpenMs: 1_000,
  });
  // `--events=N`: streams of N events instead of 1,000 (to tell per-stream from per-byte cost).
  const events = option('events', 1_000);
  for (const name of ['stream1', 'chatstream1'])
    await setBehavior(simulator.url, name, { kind: 'ok', streamEvents: events });
  // `--perf`: on-CPU samples from Linux perf (kernel included, blind to time spent waiting for a core).
  const perf = argv.includes('--perf');
  // `--node=--trace-deopt,...`: more flags for the profiled process.
  const extra =
    argv
      .find((argument) => argument.startsWith('--node='))
      ?.slice('--node='.length)
      .split(',') ?? [];
  const profiling = [...extra, ...(perf ? ['--perf-basic-prof'] : ['--cpu-prof', `--cpu-prof-dir=${profiles}`])];
  // `--passthrough`: the raw passthrough instead of switchyard; `--floor`: the floor proxy
  // (bench/floor-proxy.mjs). With `--oauth`, both get the request switchyard sends upstream.
  const floor = argv.includes('--floor');
  const passthrough = argv.includes('--passthrough') || floor;
  // `--bin=PATH`: another build's bin/switchyard.js (to compare two builds' counts).
  const bin = argv.find((argument) => argument.startsWith('--bin='))?.slice('--bin='.length);
  const { args, env } = switchyardCommand({ home, environment, ...(bin ? { bin } : {}) });
  // `--callgrind`: instructions counted by valgrind (user space only, blind to the machine's load).
  const callgrind = argv.includes('--callgrind');
  const launch = (command, options) =>
    callgrind
      ? startUnderCallgrind(command.slice(profiling.length), join(profiles, 'callgrind.out'), options)
      : startProcess(command, options);
  const server = passthrough
    ? await launch(
        [
          ...profiling,
          new URL(floor ? 'floor-proxy.mjs' : 'passthrough-main.mjs', import.meta.url).pathname,
          simulator.url,
        ],
        {
          pattern: /"url":"([^"]+)"/,
          label: 'passthrough',
        },
      )
    : await launch([...profiling, ...args], {
        env,
        pattern: /listening on (http:\/\/\S+)/,
        label: 'switchyard serve',
      });
  const url = server.match[1];
  const target = passthrough
    ? argv.includes('--oauth')
      ? messagesAsOauthUpstream(floor ? 'floor' : 'passthrough', url, credentials.oauth1.accessToken)
      : messagesWithKey('passthrough', url, credentials.stream1.apiKey, bodies.messagesStream)
    : argv.includes('--translated')
      ? messagesViaProfile('translated', url, 'bench-chat-stream', bodies.messagesStream)
      : argv.includes('--chat')
        ? chatViaProfile('same-format', url, 'bench-chat-stream', bodies.chatStream)
        : argv.includes('--oauth')
          ? messagesViaProfile('oauth', url, 'bench-oauth', bodies.messages)
          : argv.includes('--plain')
            ? messagesViaProfile('plain', url, 'bench', bodies.messages)
            : messagesViaProfile('switchyard', url, 'bench-stream', bodies.messagesStream);
  if (callgrind) {
    await measureCallgrind(server, target, join(profiles, 'callgrind.out'));
    process.exit(0);
  }
  await measureThroughput(target, { connections, seconds: 3 });
  const before = cpuMicroseconds(server.pid);
  let output = '';
  if (extra.length > 0) server.child.stdout.on('data', (chunk) => (output += chunk));
  // The profile's clock is the system's monotonic one, as hrtime's: only the measured run is counted.
  const window = [process.hrtime.bigint() / 1000n];
  const recorder = perf ? recordPerf(server.pid, join(profiles, 'perf.data')) : undefined;
  const result = await measureThroughput(target, { connections, seconds });
  window.push(process.hrtime.bigint() / 1000n);
  if (recorder) await recorder.stop();
  if (extra.length > 0) {
    server.child.stdout.removeAllListeners('data');
    writeFileSync(join(tmpdir(), 'switchyard-profile-output.txt'), output);
    process.stdout.write(
      `output during the run (${output.length} chars): ${join(tmpdir(), 'switchyard-profile-output.txt')}\n`,
    );
  }
  const after = cpuMicroseconds(server.pid);
  const perStream = (field) => ((after[field] - before[field]) / result.total).toFixed(0);
  process.stdout.write(
    `${target.name}: ${result.total} streams in ${result.seconds} s (${result.perSecond.toFixed(0)}/s), ` +
      `CPU per stream ${perStream('user')} + ${perStream('system')} µs\n`,
  );
  await server.stop();
  const keep = argv.find((argument) => argument.startsWith('--keep='))?.slice('--keep='.length);
  if (perf) {
    reportPerf(join(profiles, 'perf.data'));
    if (keep) copyFileSync(join(profiles, 'perf.data'), keep);
    process.exit(0);
  }
  const [file] = readdirSync(profiles).filter((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error('switchyard wrote no profile');
  if (keep) copyFileSync(join(profiles, file), keep);
  printSelfTimes(JSON.parse(readFileSync(join(profiles, file), 'utf8')), window.map(Number));
} finally {
  await stopAll();
  rmSync(home, { recursive: true, force: true });
  rmSync(profiles, { recursive: true, force: true });
}

/** `valgrind --tool=callgrind node args...`, counting nothing until told to. */
function startUnderCallgrind(args, output, options) {
  return startProcess(
    ['--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${output}`, process.execPath, ...args],
    {
      ...options,
      timeoutMs: 300_000,
      command: 'valgrind',
    },
  );
}

/** Warms up with `--warm-up=N` streams, then counts the instructions of `--streams=N` more. */
async function measureCallgrind(server, target, output) {
  const warmUp = option('warm-up', 1_500);
  const streams = option('streams', 300);
  await measureThroughput(target, { connections, amount: warmUp, timeout: 600 });
  execFileSync('callgrind_control', ['-i', 'on', String(server.pid)]);
  const before = cpuMicroseconds(server.pid);
  await measureThroughput(target, { connections, amount: streams, timeout: 600 });
  const after = cpuMicroseconds(server.pid);
  execFileSync('callgrind_control', ['-i', 'off', String(server.pid)]);
  // Dumped while the process runs: stopped, it might be killed before it finished writing.
  execFileSync('callgrind_control', ['-d', String(server.pid)]);
  const directory = dirname(output);
  const files = readdirSync(directory).filter((name) => /^callgrind\.out\.\d+$/.test(name));
  await server.stop();
  process.stdout.write(`callgrind files: ${files.join(', ')}\n`);
  const summary = execFileSync('callgrind_annotate', ['--threshold=98', join(directory, files.at(-1))], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const total = Number(/([\d,]+) \(100.0%\)\s+PROGRAM TOTALS/.exec(summary)?.[1].replaceAll(',', '') ?? 'NaN');
  process.stdout.write(
    `${target.name}: ${(total / streams / 1e6).toFixed(3)} M instructions per stream (user space, ${streams} streams ` +
      `after ${warmUp}); kernel time per stream ${((after.system - before.system) / streams) | 0} µs under valgrind\n`,
  );
  process.stdout.write(summary.split('\n').slice(0, top).join('\n'));
}

/** `perf record` of `pid`'s on-CPU time until stop() (SIGINT makes it write its file). */
function recordPerf(pid, output) {
  const child = spawn('perf', ['record', '-e', 'cpu-clock', '-F', '4000', '-g', '-p', String(pid), '-o', output], {
    stdio: 'ignore',
  });
  return {
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGINT');
      }),
  };
}

/** Self time by symbol, and the kernel's share. */
function reportPerf(file) {
  const text = execFileSync(
    'perf',
    ['report', '-i', file, '--no-children', '--sort', 'dso,sym', '--stdio', '-g', 'none', '--percent-limit', '0.15'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  process.stdout.write(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .slice(0, top)
      .join('\n'),
  );
  const byObject = execFileSync(
    'perf',
    ['report', '-i', file, '--no-children', '--sort', 'dso', '--stdio', '-g', 'none'],
    {
      encoding: 'utf8',
    },
  );
  process.stdout.write(
    `\nby object:\n${byObject
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .slice(0, 8)
      .join('\n')}\n`,
  );
}

/** `name file:line` of a sampled frame, in the sources when it is in the bundle. */
function describeFrame({ functionName, url, lineNumber, columnNumber }) {
  if (bundleMap && url.endsWith('switchyard.cjs')) {
    const entry = bundleMap.findEntry(lineNumber, columnNumber);
    if (entry.originalSource) {
      const file = entry.originalSource.replace(/^.*\/(node_modules|src)\//, '$1/');
      return `${entry.name ?? functionName ?? '(anonymous)'} ${file}:${entry.originalLine + 1}`;
    }
  }
  const file = url.replace(/^.*\/(node_modules|dist|src)\//, '$1/').replace(/^node:/, '');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

function percent(count, total) {
  return `${((count / total) * 100).toFixed(1)} %`;
}

/**
 * Which part of the process a frame belongs to: switchyard's own code, its HTTP client (undici),
 * other packages, Node's JavaScript, or native work (system calls, the garbage collector, builtins).
 */
function areaOf(frame) {
  if (/ src\//.test(frame)) return 'switchyard';
  if (/ node_modules\/undici\//.test(frame)) return 'undici';
  if (/ node_modules\//.test(frame)) return 'other packages';
  if (/ [a-z_]+(\/[a-z_]+)*:\d+$/.test(frame) && !/ :\d+$/.test(frame)) return 'node';
  return 'native';
}

/** The functions with the most self time in the measured run, as shares of all its non-idle samples. */
function printSelfTimes(profile, [from, to]) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map();
  let total = 0;
  let time = profile.startTime;
  for (const [index, id] of profile.samples.entries()) {
    time += profile.timeDeltas[index];
    if (time < from || time > to) continue;
    const { callFrame } = nodes.get(id);
    if (callFrame.functionName === '(idle)' || callFrame.functionName === '(program)') continue;
    const key = describeFrame(callFrame);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    total += 1;
  }
  const areas = new Map();
  for (const [key, count] of counts) areas.set(areaOf(key), (areas.get(areaOf(key)) ?? 0) + count);
  const shares = [...areas].sort((a, b) => b[1] - a[1]).map(([area, count]) => `${area} ${percent(count, total)}`);
  process.stdout.write(`self time by area: ${shares.join(' · ')}\n`);
  process.stdout.write(`${total} busy samples; self time of the top ${top}:\n`);
  for (const [key, count] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((count / total) * 100).toFixed(1).padStart(5)} %  ${key}\n`);
  }
}
