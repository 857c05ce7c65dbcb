// What `switchyard serve` allocates per plain request, and where: `node bench/profile-allocations.mjs
// [--profile=bench-oauth] [--requests=20000] [--connections=8] [--top=25]`. It starts the simulator
// and switchyard (with --inspect on a loopback port) on a bench home, warms up, then samples every
// allocation through the inspector's heap profiler, those the young and old collections freed
// included, while the requests run. Prints the bytes per request by allocating function, then by
// the nearest switchyard function on the stack (what of ours caused the allocation in undici or node).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { prepareBenchHome } from './bench-home.mjs';
import { startSimulatorProcess, switchyardCommand } from './contenders.mjs';
import { describeFrame } from './describe-frame.mjs';
import { freePort } from './free-port.mjs';
import { measureThroughput } from './measure-throughput.mjs';
import { startProcess, stopAll } from './processes.mjs';
import { messagesViaProfile } from './requests.mjs';

const argv = process.argv.slice(2);
const text = (name, fallback) =>
  argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const profile = text('profile', 'bench-oauth');
const requests = Number(text('requests', 20_000));
const connections = Number(text('connections', 8));
const top = Number(text('top', 25));

const home = mkdtempSync(join(tmpdir(), 'switchyard-allocations-'));
try {
  const simulator = await startSimulatorProcess();
  const { environment } = await prepareBenchHome(home, simulator.url, { stormRounds: 0, holdOpenMs: 1_000 });
  const port = await freePort();
  const { args, env } = switchyardCommand({ home, environment });
  const server = await startProcess([`--inspect=127.0.0.1:${port}`, ...args], {
    env,
    pattern: /listening on (http:\/\/\S+)/,
    label: 'switchyard serve',
  });
  const target = messagesViaProfile(profile, server.match[1], profile);
  await measureThroughput(target, { connections, seconds: 4 });
  const inspector = await connectInspector(port);
  await inspector.call('HeapProfiler.enable');
  await inspector.call('HeapProfiler.startSampling', {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const result = await measureThroughput(target, { connections, amount: requests });
  const { profile: sampled } = await inspector.call('HeapProfiler.stopSampling');
  inspector.close();
  report(sampled, result.total);
} finally {
  await stopAll();
  rmSync(home, { recursive: true, force: true });
}

/** The process's inspector over its WebSocket: `call(method, params)` resolves with the result. */
async function connectInspector(port) {
  const [{ webSocketDebuggerUrl }] = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const socket = new WebSocket(webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const waiting = new Map();
  let lastId = 0;
  socket.on('message', (data) => {
    const message = JSON.parse(data);
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  return {
    call: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = ++lastId;
        waiting.set(id, (message) =>
          message.error ? reject(new Error(message.error.message)) : resolve(message.result),
        );
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}

function report(sampled, total) {
  const byFunction = new Map();
  const byOwnFrame = new Map();
  let bytes = 0;
  const walk = (node, ownFrame) => {
    const frame = describeFrame(node.callFrame);
    const own = frame.includes(' src/') ? frame : ownFrame;
    if (node.selfSize > 0) {
      bytes += node.selfSize;
      byFunction.set(frame, (byFunction.get(frame) ?? 0) + node.selfSize);
      const key = own ?? '(no switchyard frame: node and undici on their own)';
      byOwnFrame.set(key, (byOwnFrame.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, own);
  };
  walk(sampled.head, undefined);
  process.stdout.write(
    `${total} requests through ${profile}: ${(bytes / total / 1024).toFixed(1)} KB allocated per request\n`,
  );
  for (const [title, counts] of [
    ['by allocating function', byFunction],
    ['by nearest switchyard function', byOwnFrame],
  ]) {
    process.stdout.write(`${title}:\n`);
    for (const [frame, size] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, top))
      process.stdout.write(`${(size / total).toFixed(0).padStart(7)} B  ${frame}\n`);
  }
}
