// Figure 3: streaming. Time to the first event that switchyard adds, and how fast it relays
// 1,000-event streams compared with the raw passthrough. The floor proxy (bench/floor-proxy.mjs:
// forwards with undici and relays the stream chunk by chunk, searching each for the usage key)
// runs in the same rounds for reference: what a stream costs a proxy doing only what every router must.
import { request } from 'undici';
import { alternate, describeRatios, pairedRatio } from '../alternate.mjs';
import { startFloorProcess } from '../contenders.mjs';
import { cpuRatio, describeCpu, throughputWithCpu } from '../cpu-cost.mjs';
import { interleavedLatencies } from '../measure-latency.mjs';
import { measureThroughput } from '../measure-throughput.mjs';
import { bodies, messagesViaProfile, messagesWithKey } from '../requests.mjs';
import { median } from '../statistics.mjs';
import { atLeast, atMost } from '../targets.mjs';
import { describeRuns } from './throughput.mjs';

const streamConnections = 8;

export async function streamingFigure(context) {
  const { settings, log, simulator, passthrough, router, credentials } = context;
  const [direct, switchyard, raw] = await interleavedLatencies(
    [
      messagesWithKey('direct', simulator.url, credentials.b1.apiKey, bodies.messagesStream),
      messagesViaProfile('switchyard', router.url, 'bench', bodies.messagesStream),
      messagesWithKey('passthrough', passthrough.url, credentials.b1.apiKey, bodies.messagesStream),
    ],
    { count: settings.firstByteCount, firstByte: true },
  );
  log(
    `  first event, ${settings.firstByteCount} streams each: direct p50 ${median(direct).toFixed(3)} ` +
      `ms, switchyard p50 ${median(switchyard).toFixed(3)} ms, passthrough p50 ${median(raw).toFixed(3)} ` +
      `ms`,
  );
  const rows = [
    atMost('stream: time to first byte added, p50', median(switchyard) - median(direct), 0.5, {
      digits: 3,
      unit: ' ms',
    }),
  ];

  const contenders = [
    {
      ...messagesWithKey('passthrough', passthrough.url, credentials.stream1.apiKey, bodies.messagesStream),
      pid: passthrough.pid,
    },
    { ...messagesViaProfile('switchyard', router.url, 'bench-stream', bodies.messagesStream), pid: router.pid },
  ];
  const floor = await startFloorProcess(simulator.url);
  contenders.push({
    ...messagesWithKey('floor', floor.url, credentials.stream1.apiKey, bodies.messagesStream),
    pid: floor.pid,
  });
  const costs = {};
  const { medians, runs } = await (async () => {
    // A relay that dropped events would look fast: each must deliver the whole stream.
    for (const target of contenders) await checkWholeStream(target);
    return alternate(
      contenders,
      settings.rounds,
      throughputWithCpu(costs, { connections: streamConnections, seconds: settings.seconds }),
      {
        warmUp: (target) =>
          measureThroughput(target, { connections: streamConnections, seconds: settings.warmUpSeconds }),
      },
    );
  })().finally(() => floor.stop());
  log(`  1,000-event streams/s at ${streamConnections} connections: ${describeRuns(medians, runs)}`);
  log(
    `  each round's switchyard / passthrough, and their median: ${describeRatios(runs, 'switchyard', 'passthrough')}`,
  );
  const cost = describeCpu(costs, 'passthrough', 'switchyard');
  log(`  CPU per 1,000-event stream of each proxy (user + system, median of the rounds): ${cost}`);
  context.info.push(
    `CPU per 1,000-event stream at ${streamConnections} connections, user + ` +
      `system, median of the streaming rounds: ${cost}.`,
  );
  const floorStreams = describeRatios(runs, 'floor', 'passthrough');
  const floorCost = cpuRatio(costs, 'passthrough', 'floor').toFixed(2);
  const overFloor = cpuRatio(costs, 'floor', 'switchyard').toFixed(2);
  log(
    `  for reference, the floor proxy / passthrough: streams ${floorStreams}, CPU per stream ${floorCost}; ` +
      `switchyard / floor, CPU per stream: ${overFloor}`,
  );
  context.info.push(
    `For reference, in the same streaming rounds the floor proxy (bench/floor-proxy.mjs: undici, the stream relayed ` +
      `chunk by chunk and searched for the usage key) / raw passthrough: ${floorStreams.split(' ')[0]} of its ` +
      `streams, at ${floorCost} of its CPU per stream; switchyard's CPU per stream / the floor's: ${overFloor}.`,
  );
  rows.push(
    atLeast('stream: 1,000-event streams relayed / passthrough', pairedRatio(runs, 'switchyard', 'passthrough'), 0.9),
    atMost('stream: CPU per 1,000-event stream / passthrough', cpuRatio(costs, 'passthrough', 'switchyard'), 1.15),
  );
  return rows;
}

/** Fails unless `target` answers 200 with all 1,000 text events of an Anthropic Messages stream and its end. */
async function checkWholeStream(target) {
  const answer = await request(target.url + target.path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
  });
  const text = await answer.body.text();
  const deltas = text.split('event: content_block_delta').length - 1;
  if (answer.statusCode !== 200 || deltas !== 1_000 || !text.includes('event: message_stop')) {
    throw new Error(`${target.name} relayed ${deltas} of 1,000 text events (status ${answer.statusCode})`);
  }
}
