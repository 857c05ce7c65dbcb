// Figure 1 (second half): switchyard against the Portkey gateway on the same OpenAI Chat
// Completions route, same body, same simulator account; plus how much each adds to a
// stream's first byte (no target: the issue quotes Portkey adding tens of milliseconds). The raw
// passthrough runs in the same alternation, for reference: what a Node proxy that only pipes
// scores against Portkey on this machine.
import { request } from 'undici';
import { alternate, describeRatios, pairedRatio } from '../alternate.mjs';
import { describeCpu, throughputWithCpu } from '../cpu-cost.mjs';
import { freePort } from '../free-port.mjs';
import { interleavedLatencies } from '../measure-latency.mjs';
import { measureThroughput } from '../measure-throughput.mjs';
import { ensurePortkey, startPortkeyProcess } from '../portkey.mjs';
import { bodies, chatViaPortkey, chatViaProfile, chatWithKey } from '../requests.mjs';
import { median } from '../statistics.mjs';
import { atLeast, notMeasured } from '../targets.mjs';
import { describeRuns } from './throughput.mjs';

const figure = 'throughput at 32 connections: switchyard / Portkey (chat route)';

export async function portkeyFigure(context) {
  const { settings, log, simulator, router, passthrough, credentials } = context;
  let version;
  try {
    version = await ensurePortkey(log);
  } catch (error) {
    return [notMeasured(figure, '>= 10', `Portkey could not be installed (${firstLine(error)})`)];
  }
  const portkey = await startPortkeyProcess(await freePort());
  try {
    const apiKey = credentials.chat1.apiKey;
    const contenders = [
      { ...chatViaProfile('switchyard', router.url, 'bench-chat'), pid: router.pid },
      { ...chatViaPortkey('portkey', portkey.url, simulator.url, apiKey), pid: portkey.pid },
      { ...chatWithKey('passthrough', passthrough.url, apiKey), pid: passthrough.pid },
    ];
    const costs = {};
    const { medians, runs } = await alternate(
      contenders,
      settings.rounds,
      throughputWithCpu(costs, { connections: 32, seconds: settings.seconds }),
      {
        warmUp: (target) => measureThroughput(target, { connections: 32, seconds: settings.warmUpSeconds }),
      },
    );
    log(
      `  Portkey ${version}, chat requests/s (median of ${settings.rounds} ` +
        `alternated runs): ${describeRuns(medians, runs)}`,
    );

    log(`  each round's switchyard / portkey, and their median: ${describeRatios(runs, 'switchyard', 'portkey')}`);
    const reference = describeRatios(runs, 'passthrough', 'portkey');
    log(`  for reference, each round's passthrough / portkey, and their median: ${reference}`);
    const cost = describeCpu(costs, 'switchyard', 'portkey');
    log(`  CPU per request (user + system, median of the rounds): ${cost}`);
    context.info.push(`CPU per chat request at 32 connections against Portkey ${version}, user + system: ${cost}.`);
    const passthroughRatio = pairedRatio(runs, 'passthrough', 'portkey').toFixed(2);
    const switchyardToPassthrough = pairedRatio(runs, 'switchyard', 'passthrough').toFixed(2);
    context.info.push(
      `For reference, the raw passthrough against Portkey ${version} on the ` +
        `same chat route, same rounds: ${passthroughRatio} (switchyard / ` +
        `passthrough ${switchyardToPassthrough}).`,
    );
    const row = atLeast(figure, pairedRatio(runs, 'switchyard', 'portkey'), 10, { digits: 1 });
    try {
      context.info.push(await firstByteComparison(context, portkey, version));
    } catch (error) {
      context.info.push(`Chat stream first-event comparison with Portkey failed: ${firstLine(error)}`);
    }
    return [row];
  } finally {
    await portkey.stop();
  }
}

/** A note: what switchyard and Portkey add to a chat stream's first event (Portkey when it can stream here). */
async function firstByteComparison(context, portkey, version) {
  const { settings, simulator, router, credentials } = context;
  const apiKey = credentials.chat1.apiKey;
  const targets = [
    chatWithKey('direct', simulator.url, apiKey, bodies.chatStream),
    chatViaProfile('switchyard', router.url, 'bench-chat', bodies.chatStream),
  ];
  const portkeyTarget = chatViaPortkey('portkey', portkey.url, simulator.url, apiKey, bodies.chatStream);
  const probe = await request(portkeyTarget.url + portkeyTarget.path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...portkeyTarget.headers },
    body: portkeyTarget.body,
  });
  const probeBody = await probe.body.text();
  if (probe.statusCode === 200) targets.push(portkeyTarget);
  const [direct, ...others] = await interleavedLatencies(targets, {
    count: settings.portkeyFirstByteCount,
    warmUp: 50,
    firstByte: true,
  });
  const added = (samples) => `${(median(samples) - median(direct)).toFixed(3)} ms`;
  const portkeyPart =
    probe.statusCode === 200
      ? `Portkey ${version} ${added(others[1])}`
      : `Portkey ${version} not measured: it answers streamed chat requests here ` +
        `with ${probe.statusCode} ${probeBody.slice(0, 80)}`;
  return (
    `Chat stream, time to first event added at p50 (${settings.portkeyFirstByteCount} ` +
    `interleaved requests; no target, for comparison): switchyard ` +
    `${added(others[0])}; ${portkeyPart}.`
  );
}

function firstLine(error) {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
