// Figure 4: failover. The request that meets a 429 costs exactly one extra upstream call and no
// sleep; the cooling bucket then gets no calls at all; and a storm (bucket 1 refusing every
// request with a reset an hour away) barely changes throughput.
import { Pool } from 'undici';
import { alternate, describeRatios, pairedRatio } from '../alternate.mjs';
import { rateLimited } from '../bench-home.mjs';
import { measureThroughput } from '../measure-throughput.mjs';
import { messagesViaProfile } from '../requests.mjs';
import { allCounts, setBehavior } from '../simulator-control.mjs';
import { median } from '../statistics.mjs';
import { atLeast, exactly } from '../targets.mjs';
import { describeRuns } from './throughput.mjs';

/** Far below any deliberate back-off, far above a loopback round trip: a sleep would show. */
const noSleepBoundMs = 50;

/** One request over a kept-alive connection, timed; the answer's status and headers. */
async function timeRequest(pool, target, keepAnswer = false) {
  const started = process.hrtime.bigint();
  const answer = await pool.request({
    path: target.path,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
  });
  await answer.body.dump();
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (!keepAnswer && answer.statusCode !== 200) throw new Error(`${target.name} answered ${answer.statusCode}`);
  return { elapsedMs, answer: { status: answer.statusCode, headers: new Headers(answer.headers) } };
}

export async function failoverFigure(context) {
  const { settings, log, simulator, router } = context;
  const rows = [];
  const requestsOf = (counts, account) => counts[account]?.requests ?? 0;

  const target = messagesViaProfile('failover', router.url, 'bench-failover');
  // The profile is loaded and its path compiled first (f1 still healthy), so that the timed
  // request differs from those before it only by meeting the 429.
  const pool = new Pool(target.url, { connections: 1 });
  const reference = [];
  let first;
  try {
    for (let index = 0; index < 200; index += 1) reference.push(await timeRequest(pool, target));
    await setBehavior(simulator.url, 'f1', rateLimited);
    first = { before: await allCounts(simulator.url), ...(await timeRequest(pool, target, true)) };
  } finally {
    await pool.close();
  }
  const { before, elapsedMs, answer } = first;
  const typical = median(reference.slice(100).map((sample) => sample.elapsedMs));
  const afterFirst = await allCounts(simulator.url);
  const calls = {
    f1: requestsOf(afterFirst, 'f1') - requestsOf(before, 'f1'),
    f2: requestsOf(afterFirst, 'f2') - requestsOf(before, 'f2'),
  };
  const attempts = answer.headers.get('x-switchyard-attempts');
  const oneExtra =
    answer.status === 200 && calls.f1 === 1 && calls.f2 === 1 && attempts === 'anthropic/f1:429,anthropic/f2:200';
  rows.push(
    exactly(
      'failover: upstream calls of the request meeting a 429',
      `${calls.f1 + calls.f2} (f1 ${calls.f1}, f2 ${calls.f2}; ` +
        `x-switchyard-attempts: ${attempts}; status ${answer.status})`,
      '2: the 429 and one more',
      oneExtra,
    ),
    exactly(
      'failover: time of that request (no sleep)',
      `${elapsedMs.toFixed(2)} ms (a request before it: ${typical.toFixed(2)} ms)`,
      `< ${noSleepBoundMs} ms`,
      elapsedMs < noSleepBoundMs,
      elapsedMs < noSleepBoundMs ? '' : 'a wait before the second call',
    ),
  );

  const next = await measureThroughput(target, { connections: 32, amount: settings.afterFailoverRequests });
  const afterNext = await allCounts(simulator.url);
  const coolingCalls = requestsOf(afterNext, 'f1') - requestsOf(afterFirst, 'f1');
  const servedBySecond = requestsOf(afterNext, 'f2') - requestsOf(afterFirst, 'f2');
  rows.push(
    exactly(
      `failover: calls to the cooling bucket in the next ${next.total.toLocaleString('en')} requests`,
      `${coolingCalls} (f2 served ${servedBySecond})`,
      '0',
      coolingCalls === 0 && servedBySecond === next.total,
    ),
  );

  // Each storm run uses a fresh pair of buckets, so it includes the onset: up to 32 requests in
  // flight meet the 429 before the first one marks the bucket cooling.
  let storm = 0;
  const onsetCalls = [];
  const measure = async (contender) => {
    if (contender.name === 'healthy')
      return (await measureThroughput(contender, { connections: 32, seconds: contender.seconds })).perSecond;
    const round = storm;
    storm += 1;
    const stormTarget = { ...messagesViaProfile('storm', router.url, `bench-storm-${round}`), name: 'storm' };
    const result = await measureThroughput(stormTarget, { connections: 32, seconds: contender.seconds });
    onsetCalls.push(requestsOf(await allCounts(simulator.url), `storm${round}a`));
    return result.perSecond;
  };
  const contenders = [messagesViaProfile('healthy', router.url, 'bench-healthy-pair'), { name: 'storm' }];
  const { medians, runs } = await alternate(
    contenders,
    settings.rounds,
    (contender) => measure({ ...contender, seconds: settings.seconds }),
    { warmUp: (contender) => measure({ ...contender, seconds: settings.warmUpSeconds }) },
  );
  log(`  requests/s, healthy pair vs a pair whose bucket 1 answers 429: ${describeRuns(medians, runs)}`);
  log(
    `  calls that reached the refusing bucket in each storm run (the requests ` +
      `in flight at its first 429): ${onsetCalls.join(', ')}`,
  );
  log(`  each round's storm / healthy, and their median: ${describeRatios(runs, 'storm', 'healthy')}`);
  rows.push(atLeast('failover storm throughput / healthy', pairedRatio(runs, 'storm', 'healthy'), 0.9));
  return rows;
}
