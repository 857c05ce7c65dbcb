// Figure 8: non-streaming throughput of translated requests at 32 connections. The same OpenAI
// bucket answers both contenders: a Chat Completions client passes through (same format), an
// Anthropic Messages client is translated to Chat and back, so the ratio is the cost of translation.
import { alternate, describeRatios, pairedRatio } from '../alternate.mjs';
import { measureThroughput } from '../measure-throughput.mjs';
import { chatViaProfile, messagesViaProfile } from '../requests.mjs';
import { atLeast } from '../targets.mjs';
import { describeRuns } from './throughput.mjs';

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
  ];
}
