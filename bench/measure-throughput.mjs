// Throughput with autocannon as a library: requests completed per second at N connections.
import autocannon from 'autocannon';

/**
 * Runs `target` (url, path, headers, body) for `seconds`, or until `amount` requests, and
 * resolves with { perSecond, total, seconds }. Any answer other than 2xx, error or timeout
 * fails the measurement: a fast error is not throughput.
 */
export async function measureThroughput(target, { connections = 32, seconds, amount, timeout = 10 }) {
  const result = await autocannon({
    url: target.url + target.path,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
    connections,
    // autocannon stops at its first sample after the duration: with its default of one sample a
    // second, a 0.6 s run lasted a whole second.
    sampleInt: 100,
    // Seconds an answer may take (a process under valgrind takes long).
    timeout,
    ...(amount === undefined ? { duration: seconds } : { amount }),
  });
  const failures = result.non2xx + result.errors + result.timeouts;
  if (failures > 0) {
    const statuses = Object.entries(result.statusCodeStats)
      .map(([status, { count }]) => `${status}: ${count}`)
      .join(', ');
    throw new Error(
      `${target.name}: ${result.non2xx} non-2xx answers (${statuses}), ${result.errors} ` +
        `errors, ${result.timeouts} timeouts`,
    );
  }
  return { perSecond: result.requests.total / result.duration, total: result.requests.total, seconds: result.duration };
}

/**
 * Warms a freshly started proxy up in three runs rather than one: the first time its connections
 * close, V8 meets new object shapes and throws away much of the optimized request path, which then
 * takes a second of traffic to rebuild. Warmed in one run, the first measured round paid for that
 * (well below the rounds after it).
 */
export async function warmUpInRuns(target, { connections = 32, seconds }) {
  for (let run = 0; run < 3; run += 1) await measureThroughput(target, { connections, seconds: seconds / 3 });
}
