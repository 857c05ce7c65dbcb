// switchyard benchmark: `npm run bench` (full) or `npm run bench -- --quick` (under two minutes).
// Starts everything itself on loopback, alternates contenders, prints each figure beside its target.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { interleavedLatencies, median, percentile, throughput } from './load.mjs';
import { startPortkey } from './portkey.mjs';
import { residentMegabytes, startProcess, stopAll } from './processes.mjs';
import { formatRows, writeResults } from './report.mjs';
import { writeBenchHome } from './setup-home.mjs';

const quick = process.argv.includes('--quick');
const settings = quick
  ? { seconds: 2, rounds: 2, latencyCount: 800, storm: 10_000, leakSmall: 5_000, leakLarge: 50_000, holdMs: 3_000, starts: 3 }
  : { seconds: 6, rounds: 4, latencyCount: 4_000, storm: 10_000, leakSmall: 20_000, leakLarge: 200_000, holdMs: 4_000, starts: 7 };
const root = fileURLToPath(new URL('..', import.meta.url));
const log = (text) => process.stdout.write(`${text}\n`);

const messageBody = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Hello, how are you today?' }] });
const streamBody = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'Hello, how are you today?' }] });
const chatBody = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hello, how are you today?' }] });

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function post(url, path, headers, body) {
  const answer = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  await answer.arrayBuffer();
  return answer;
}

/** Runs `measure` for each contender in turn, `rounds` times, and keeps each one's median. */
async function alternate(contenders, measure) {
  const results = Object.fromEntries(contenders.map((contender) => [contender.name, []]));
  // One unmeasured run each first: JIT warm-up and pooled connections, so no contender is measured cold.
  for (const contender of contenders) await measure(contender);
  for (let round = 0; round < settings.rounds; round += 1) {
    for (const contender of contenders) results[contender.name].push(await measure(contender));
  }
  return Object.fromEntries(Object.entries(results).map(([name, values]) => [name, median(values)]));
}

const rows = [];
const notes = [];
const row = (figure, value, target, met) => {
  rows.push({ figure, value, target, met });
  log(`  ${figure}: ${value} (target ${target}) ${met === undefined ? 'not measured' : met ? 'met' : 'NOT met'}`);
};

async function main() {
  log(`switchyard benchmark (${quick ? 'quick' : 'full'} mode)`);
  const simulator = await startProcess([join(root, 'dist/provider-simulator/main.js'), '--port', '0'], { pattern: /"url":"([^"]+)"/ });
  const simulatorUrl = simulator.match[1];
  const control = (path, body) => post(simulatorUrl, `/__sim/${path}`, {}, JSON.stringify(body)).then((answer) => answer);
  const accounts = {};
  for (const name of ['b1', 'b2', 'b3', 'f1', 'f2', 'stream1', 'hold1', 's999', 'chat1']) {
    accounts[name] = await (await fetch(`${simulatorUrl}/__sim/accounts`, { method: 'POST', body: JSON.stringify({ name }) })).json();
  }
  await control('behavior', { account: 'stream1', step: { kind: 'ok', streamEvents: 1000 } });
  await control('behavior', { account: 'hold1', step: { kind: 'ok', holdOpenMs: settings.holdMs } });
  await control('behavior', { account: 'f1', step: { kind: 'rate-limit', style: 'anthropic-unified', resetSeconds: 3600 } });

  const home = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  const keys = writeBenchHome(home, simulatorUrl, accounts, Date.now());
  const serveEnvironment = { SWITCHYARD_HOME: home, ...keys };
  const passthrough = await startProcess([join(root, 'bench/passthrough-main.mjs'), simulatorUrl], { pattern: /"url":"([^"]+)"/ });
  const passthroughUrl = passthrough.match[1];

  // 7. Start-up: from spawn to the first /health answer.
  const startTimes = [];
  for (let start = 0; start < settings.starts; start += 1) {
    const port = await freePort();
    const spawnedAt = performance.now();
    const started = startProcess([join(root, 'bin/switchyard.js'), 'serve', '--port', String(port), '--profile', 'bench'], { env: serveEnvironment, pattern: /listening/ });
    started.catch(() => undefined);
    for (;;) {
      try {
        const health = await fetch(`http://127.0.0.1:${port}/health`);
        if (health.ok) break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
    startTimes.push(performance.now() - spawnedAt);
    await (await started).stop();
  }

  const router = await startProcess([join(root, 'bin/switchyard.js'), 'serve', '--port', '0', '--profile', 'bench'], { env: serveEnvironment, pattern: /listening on (http:\/\/\S+)/ });
  const routerUrl = router.match[1];
  const routerPid = router.child.pid;
  const anthropicHeaders = { 'anthropic-version': '2023-06-01' };
  const direct = { name: 'direct', url: simulatorUrl, headers: { ...anthropicHeaders, 'x-api-key': accounts.b1.apiKey } };
  const raw = { name: 'passthrough', url: passthroughUrl, headers: direct.headers };
  const switchyard = { name: 'switchyard', url: routerUrl, headers: { ...anthropicHeaders, 'x-switchyard-profile': 'bench' } };

  log('\n6. Memory: open streams (measured first, on a fresh process, before load phases raise the heap\'s high-water mark)');
  const pool = new Pool(routerUrl, { connections: 1000, pipelining: 1 });
  const holdHeaders = { 'content-type': 'application/json', ...anthropicHeaders, 'x-switchyard-profile': 'bench-hold' };
  const open = Array.from({ length: 1000 }, () =>
    pool.request({ path: '/v1/messages', method: 'POST', headers: holdHeaders, body: streamBody }).then((answer) => answer.body.text()),
  );
  await new Promise((resolve) => setTimeout(resolve, settings.holdMs * 0.75));
  const openStreamsRss = residentMegabytes(routerPid);
  const openCount = (await (await fetch(`${simulatorUrl}/__sim/counts`)).json()).accounts.hold1.inFlight;
  await Promise.all(open);
  await pool.close();
  row(`RSS with ${openCount} concurrent open streams`, `${openStreamsRss.toFixed(0)} MB`, '<= 150 MB', openStreamsRss <= 150 && openCount >= 1000);
  log('\n1. Non-streaming throughput at 32 connections');
  const plain = await alternate([direct, raw, switchyard], (contender) =>
    throughput({ url: contender.url, path: '/v1/messages', headers: contender.headers, body: messageBody, seconds: settings.seconds }).then((result) => result.perSecond),
  );
  log(`  req/s: direct ${plain.direct.toFixed(0)}, passthrough ${plain.passthrough.toFixed(0)}, switchyard ${plain.switchyard.toFixed(0)}`);
  row('throughput: switchyard / passthrough', (plain.switchyard / plain.passthrough).toFixed(2), '>= 0.8', plain.switchyard / plain.passthrough >= 0.8);

  let portkey;
  try {
    portkey = await startPortkey(await freePort());
    const chatSwitchyard = { name: 'switchyard', url: routerUrl, headers: { 'x-switchyard-profile': 'bench-chat' } };
    const chatPortkey = { name: 'portkey', url: portkey.url, headers: { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${simulatorUrl}/v1`, authorization: `Bearer ${accounts.chat1.apiKey}` } };
    const probe = await post(portkey.url, '/v1/chat/completions', chatPortkey.headers, chatBody);
    if (probe.status !== 200) throw new Error(`Portkey answered ${probe.status}`);
    const chat = await alternate([chatSwitchyard, chatPortkey], (contender) =>
      throughput({ url: contender.url, path: '/v1/chat/completions', headers: contender.headers, body: chatBody, seconds: settings.seconds }).then((result) => result.perSecond),
    );
    log(`  chat req/s: switchyard ${chat.switchyard.toFixed(0)}, portkey ${chat.portkey.toFixed(0)}`);
    row('throughput: switchyard / Portkey (chat)', (chat.switchyard / chat.portkey).toFixed(1), '>= 10', chat.switchyard / chat.portkey >= 10);
  } catch (error) {
    row('throughput: switchyard / Portkey (chat)', `not measured (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`, '>= 10', undefined);
  } finally {
    await portkey?.stop();
  }

  log('\n2. Added latency at one connection');
  const [directLatency, routerLatency] = await interleavedLatencies(
    [
      { ...direct, path: '/v1/messages', body: messageBody },
      { ...switchyard, path: '/v1/messages', body: messageBody },
    ],
    { count: settings.latencyCount },
  );
  const addedP50 = percentile(routerLatency, 0.5) - percentile(directLatency, 0.5);
  const addedP99 = percentile(routerLatency, 0.99) - percentile(directLatency, 0.99);
  row('added latency p50', `${addedP50.toFixed(3)} ms`, '<= 0.2 ms', addedP50 <= 0.2);
  row('added latency p99', `${addedP99.toFixed(3)} ms`, '<= 1 ms', addedP99 <= 1);

  log('\n3. Streaming');
  const [directFirstByte, routerFirstByte] = await interleavedLatencies(
    [
      { ...direct, path: '/v1/messages', body: streamBody },
      { ...switchyard, path: '/v1/messages', body: streamBody },
    ],
    { count: Math.round(settings.latencyCount / 2), firstByte: true },
  );
  const addedFirstByte = median(routerFirstByte) - median(directFirstByte);
  row('time to first byte added p50', `${addedFirstByte.toFixed(3)} ms`, '<= 0.5 ms', addedFirstByte <= 0.5);
  const streamHeaders = { ...anthropicHeaders, 'x-api-key': accounts.stream1.apiKey };
  const long = await alternate(
    [
      { name: 'passthrough', url: passthroughUrl, headers: streamHeaders },
      { name: 'switchyard', url: routerUrl, headers: { ...anthropicHeaders, 'x-switchyard-profile': 'bench-stream' } },
    ],
    (contender) => throughput({ url: contender.url, path: '/v1/messages', headers: contender.headers, body: streamBody, connections: 8, seconds: settings.seconds }).then((result) => result.perSecond),
  );
  log(`  1,000-event streams/s: passthrough ${long.passthrough.toFixed(1)}, switchyard ${long.switchyard.toFixed(1)}`);
  row('1,000-event stream throughput / passthrough', (long.switchyard / long.passthrough).toFixed(2), '>= 0.8', long.switchyard / long.passthrough >= 0.8);

  log('\n4. Failover');
  await post(simulatorUrl, '/__sim/reset-counts', {}, '{}');
  const failoverHeaders = { ...anthropicHeaders, 'x-switchyard-profile': 'bench-failover' };
  const first = await post(routerUrl, '/v1/messages', failoverHeaders, messageBody);
  const countsAfterFirst = (await (await fetch(`${simulatorUrl}/__sim/counts`)).json()).accounts;
  const attempts = first.headers.get('x-switchyard-attempts');
  const oneExtra = first.status === 200 && countsAfterFirst.f1.requests === 1 && countsAfterFirst.f2.requests === 1;
  row('the request meeting a 429: upstream calls', `${countsAfterFirst.f1.requests + countsAfterFirst.f2.requests} (${attempts})`, 'exactly 2, no sleep', oneExtra);
  const storm = await throughput({ url: routerUrl, path: '/v1/messages', headers: failoverHeaders, body: messageBody, amount: settings.storm });
  const countsAfterStorm = (await (await fetch(`${simulatorUrl}/__sim/counts`)).json()).accounts;
  const coolingCalls = countsAfterStorm.f1.requests - countsAfterFirst.f1.requests;
  row(`calls to the cooling bucket in the next ${settings.storm} requests`, String(coolingCalls), '0', coolingCalls === 0 && storm.non2xx === 0);
  const stormRatio = await alternate(
    [
      { name: 'healthy', url: routerUrl, headers: switchyard.headers },
      { name: 'storm', url: routerUrl, headers: failoverHeaders },
    ],
    (contender) => throughput({ url: contender.url, path: '/v1/messages', headers: contender.headers, body: messageBody, seconds: settings.seconds }).then((result) => result.perSecond),
  );
  row('throughput in a failover storm / healthy', (stormRatio.storm / stormRatio.healthy).toFixed(2), '>= 0.9', stormRatio.storm / stormRatio.healthy >= 0.9);

  log('\n5. Scale in buckets');
  const scale = await alternate(
    [
      { name: 'one', url: routerUrl, headers: { ...anthropicHeaders, 'x-switchyard-profile': 'bench-one' } },
      { name: 'thousand', url: routerUrl, headers: { ...anthropicHeaders, 'x-switchyard-profile': 'bench-scale' } },
    ],
    (contender) => throughput({ url: contender.url, path: '/v1/messages', headers: contender.headers, body: messageBody, seconds: settings.seconds }).then((result) => result.perSecond),
  );
  row('1,000 buckets (999 cooling) / one bucket', (scale.thousand / scale.one).toFixed(2), '>= 0.9', scale.thousand / scale.one >= 0.9);

  log('\n6. Memory: no leak');
  await throughput({ url: routerUrl, path: '/v1/messages', headers: switchyard.headers, body: messageBody, amount: settings.leakSmall });
  const rssSmall = residentMegabytes(routerPid);
  await throughput({ url: routerUrl, path: '/v1/messages', headers: switchyard.headers, body: messageBody, amount: settings.leakLarge - settings.leakSmall });
  const rssLarge = residentMegabytes(routerPid);
  const growth = rssLarge / rssSmall - 1;
  row(`RSS after ${settings.leakLarge} vs ${settings.leakSmall} requests`, `${rssSmall.toFixed(0)} -> ${rssLarge.toFixed(0)} MB (${(growth * 100).toFixed(1)} %)`, 'within 10 %', Math.abs(growth) <= 0.1);
  if (quick) notes.push(`Quick mode compares RSS after ${settings.leakSmall} and ${settings.leakLarge} requests; the full run uses 20,000 and 200,000.`);

  log('\n7. Start-up');
  const startup = median(startTimes);
  row('`switchyard serve` to first /health answer (median)', `${startup.toFixed(0)} ms`, '<= 300 ms', startup <= 300);

  log(`\n${formatRows(rows)}`);
  if (!quick) {
    writeResults(join(root, 'bench/RESULTS.md'), { rows, command: 'npm run bench', notes, mode: 'full' });
    log('\nWritten to bench/RESULTS.md');
  }
  rmSync(home, { recursive: true, force: true });
}

try {
  await main();
} finally {
  await stopAll();
}
