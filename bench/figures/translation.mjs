// Figure 8: non-streaming throughput of translated requests at 32 connections, and the CPU of a
// translated stream. The same OpenAI bucket answers both contenders: a Chat Completions client
// passes through (same format), an Anthropic Messages client is translated to Chat and back, so
// the ratio is the cost of translation.
import { request } from 'undici';
import { alternate, describeRatios, pairedRatio } from '../alternate.mjs';
import { cpuRatio, describeCpu, throughputWithCpu } from '../cpu-cost.mjs';
import { measureThroughput } from '../measure-throughput.mjs';
import { bodies, chatViaProfile, messagesViaProfile } from '../requests.mjs';
import { atLeast, atMost } from '../targets.mjs';
import { describeRuns } from './throughput.mjs';

const streamConnections = 8;

export async function translationFigure(context) {
  const { settings, log, router } = context;
  const contenders = [
    chatViaProfile('same-format', router.url, 'bench-chat'),
    messagesViaProfile('translated', router.url, 'bench-chat'),
  ];
  const { medians, runs } = await alternate(
    contenders,
    settings.rounds,
    async (target) => (await measureThroughput(target, { connections: 32, seconds: settings.seconds })).perSecond,
    { warmUp: (target) => measureThroughput(target, { connections: 32, seconds: settings.warmUpSeconds }) },
  );
  log(`  requests/s (median of ${settings.rounds} alternated runs): ${describeRuns(medians, runs)}`);
  context.figures.translatedThroughput = medians;
  log(
    `  each round's translated / same-format, and their median: ${describeRatios(runs, 'translated', 'same-format')}`,
  );
  return [
    atLeast(
      'translated throughput at 32 connections: Anthropic client on an OpenAI bucket / same-format chat',
      pairedRatio(runs, 'translated', 'same-format'),
      0.6,
    ),
    await translatedStreamRow(context),
  ];
}

/**
 * Issue 22: CPU per 1,000-event stream from one OpenAI bucket, relayed to a Chat client as it is
 * (same format) and translated for an Anthropic Messages client; the ratio is what translating a
 * stream costs. Both are switchyard's process, so CPU is the measure, not streams per second.
 */
async function translatedStreamRow(context) {
  const { settings, log, router } = context;
  const contenders = [
    { ...chatViaProfile('same-format', router.url, 'bench-chat-stream', bodies.chatStream), pid: router.pid },
    { ...messagesViaProfile('translated', router.url, 'bench-chat-stream', bodies.messagesStream), pid: router.pid },
  ];
  await checkWholeStreams(contenders);
  const costs = {};
  const { medians, runs } = await alternate(
    contenders,
    settings.rounds,
    // At least 1.5 s a run: a translated stream takes milliseconds, and CPU time comes in 10 ms ticks.
    throughputWithCpu(costs, { connections: streamConnections, seconds: Math.max(settings.seconds, 1.5) }),
    {
      warmUp: (target) =>
        measureThroughput(target, { connections: streamConnections, seconds: settings.warmUpSeconds }),
    },
  );
  log(`  1,000-event streams/s at ${streamConnections} connections: ${describeRuns(medians, runs)}`);
  const cost = describeCpu(costs, 'same-format', 'translated');
  log(`  CPU per 1,000-event stream (user + system, median of the rounds): ${cost}`);
  context.info.push(`CPU per 1,000-event stream from an OpenAI bucket at ${streamConnections} connections: ${cost}.`);
  return atMost(
    'translated stream: CPU per 1,000-event stream, Anthropic client on an OpenAI bucket / same-format chat',
    cpuRatio(costs, 'same-format', 'translated'),
    2,
  );
}

/** Fails unless each contender's stream carries all 1,000 text deltas and its end, in its own format. */
async function checkWholeStreams([chat, messages]) {
  for (const [target, delta, end] of [
    [chat, '"delta":{"content":', 'data: [DONE]'],
    [messages, 'event: content_block_delta', 'event: message_stop'],
  ]) {
    const answer = await request(target.url + target.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...target.headers },
      body: target.body,
    });
    const text = await answer.body.text();
    const deltas = text.split(delta).length - 1;
    if (answer.statusCode !== 200 || deltas < 1_000 || !text.includes(end)) {
      throw new Error(`${target.name} relayed ${deltas} of 1,000 text events (status ${answer.statusCode})`);
    }
  }
}
