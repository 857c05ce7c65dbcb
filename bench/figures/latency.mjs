// Figure 2: latency switchyard adds at one connection, against the simulator answered directly,
// from thousands of sequential requests interleaved one by one; the targets (issue 22) are relative
// to what the raw passthrough adds, which is what any Node proxy hop costs on the machine. The floor
// proxy (bench/floor-proxy.mjs: read, parse, forward with undici, parse the answer) is interleaved
// with them for reference: what a proxy doing only what every router must adds beyond the passthrough.
import { startFloorProcess } from '../contenders.mjs';
import { interleavedLatencies } from '../measure-latency.mjs';
import { messagesViaProfile, messagesWithKey } from '../requests.mjs';
import { percentile } from '../statistics.mjs';
import { atMost } from '../targets.mjs';

/** A difference of two latencies in ms, without the sign of a difference that rounds to nothing ("-0.000"). */
const difference = (milliseconds) => (Math.abs(milliseconds) < 0.0005 ? 0 : milliseconds).toFixed(3);

export async function latencyFigure(context) {
  const { settings, log, simulator, passthrough, router, credentials } = context;
  const floorProxy = await startFloorProcess(simulator.url);
  const [direct, switchyard, raw, floor] = await interleavedLatencies(
    [
      messagesWithKey('direct', simulator.url, credentials.b1.apiKey),
      messagesViaProfile('switchyard', router.url, 'bench'),
      messagesWithKey('passthrough', passthrough.url, credentials.b1.apiKey),
      messagesWithKey('floor', floorProxy.url, credentials.b1.apiKey),
    ],
    { count: settings.latencyCount },
  ).finally(() => floorProxy.stop());
  const at = (fraction) => ({
    direct: percentile(direct, fraction),
    switchyard: percentile(switchyard, fraction),
    raw: percentile(raw, fraction),
    floor: percentile(floor, fraction),
  });
  const p50 = at(0.5);
  const p99 = at(0.99);
  log(
    `  ${settings.latencyCount} requests each: direct p50 ${p50.direct.toFixed(3)} ` +
      `ms, p99 ${p99.direct.toFixed(3)} ms; ` +
      `switchyard p50 ${p50.switchyard.toFixed(3)} ms, p99 ${p99.switchyard.toFixed(3)} ` +
      `ms; passthrough p50 ${p50.raw.toFixed(3)} ms, p99 ${p99.raw.toFixed(3)} ` +
      `ms; floor proxy p50 ${p50.floor.toFixed(3)} ms, p99 ${p99.floor.toFixed(3)} ms`,
  );
  context.info.push(
    `At one connection switchyard adds ${(p50.switchyard - p50.direct).toFixed(3)} ms at p50 and ` +
      `${(p99.switchyard - p99.direct).toFixed(3)} ms at p99, the raw passthrough ` +
      `${(p50.raw - p50.direct).toFixed(3)} ms and ${(p99.raw - p99.direct).toFixed(3)} ms ` +
      `(same ${settings.latencyCount.toLocaleString('en')} interleaved requests).`,
    `For reference, the floor proxy (bench/floor-proxy.mjs) adds ${difference(p50.floor - p50.raw)} ms at p50 and ` +
      `${difference(p99.floor - p99.raw)} ms at p99 beyond the passthrough in the same requests; switchyard adds ` +
      `${difference(p50.switchyard - p50.floor)} ms and ${difference(p99.switchyard - p99.floor)} ms ` +
      'beyond the floor.',
  );
  // Added latency minus the passthrough's added latency: the direct figures cancel out.
  const beyond = (at) => at.switchyard - at.direct - (at.raw - at.direct);
  const options = { digits: 3, unit: ' ms' };
  return [
    atMost('latency added at 1 connection beyond the passthrough, p50', beyond(p50), 0.03, options),
    atMost('latency added at 1 connection beyond the passthrough, p99', beyond(p99), 0.1, options),
  ];
}
