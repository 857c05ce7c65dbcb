// Figure 7: start-up. From spawning `switchyard serve` to its first /health answer, polled every
// 2 ms; the median of several starts.
import { request } from 'undici';
import { switchyardCommand } from '../contenders.mjs';
import { freePort } from '../free-port.mjs';
import { startProcess } from '../processes.mjs';
import { median } from '../statistics.mjs';
import { atMost } from '../targets.mjs';

const sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function healthy(url) {
  try {
    const answer = await request(`${url}/health`, { reset: true });
    const body = await answer.body.json();
    return answer.statusCode === 200 && body.status === 'ok';
  } catch {
    return false;
  }
}

/** Milliseconds from spawn to the first good /health answer of one `switchyard serve` (`bin`: another build's). */
export async function timeOneStart(context, bin = undefined) {
  const port = await freePort();
  const { args, env } = switchyardCommand({ home: context.home, environment: context.environment, port, bin });
  const spawnedAt = performance.now();
  const starting = startProcess(args, { env, pattern: /listening on/, label: 'switchyard serve', timeoutMs: 10_000 });
  let failure;
  starting.catch((error) => (failure = error));
  try {
    while (!(await healthy(`http://127.0.0.1:${port}`))) {
      if (failure) throw failure;
      if (performance.now() - spawnedAt > 10_000)
        throw new Error('switchyard serve did not answer /health within 10 s');
      await sleep(2);
    }
    return performance.now() - spawnedAt;
  } finally {
    await (await starting.catch(() => undefined))?.stop();
  }
}

export async function startupFigure(context) {
  const { settings, log } = context;
  // The first start after a build compiles the whole bundle and saves V8's code cache
  // (src/launch/compiled-bundle.ts); every later start reads it. That one start is shown, not counted.
  const first = await timeOneStart(context);
  log(`  first start, not counted (after a build it compiles and saves the code cache): ${first.toFixed(0)} ms`);
  context.info.push(
    `Start-up: the run's first start, not counted, took ${first.toFixed(0)} ` +
      `ms; the first start after a build or upgrade compiles the whole bundle ` +
      `and saves V8's code cache, which every later start reads.`,
  );
  const times = [];
  for (let start = 0; start < settings.starts; start += 1) times.push(await timeOneStart(context));
  log(`  ms from spawn to first /health answer: ${times.map((time) => time.toFixed(0)).join(', ')}`);
  return [
    atMost(`start-up: spawn to first /health answer (median of ${settings.starts})`, median(times), 300, {
      digits: 0,
      unit: ' ms',
    }),
  ];
}
