// Load generation: autocannon for throughput, a sequential keep-alive client for latencies.
import autocannon from 'autocannon';
import { Pool } from 'undici';

/** Requests per second at `connections` connections for `seconds` (or a fixed `amount`). */
export async function throughput({ url, path, headers, body, connections = 32, seconds, amount }) {
  const result = await autocannon({
    url: url + path,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
  });
  const perSecond = amount ? (result.requests.total / (result.duration || 1)) : result.requests.average;
  return { perSecond: amount ? result.requests.total / result.duration : perSecond, total: result.requests.total, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

/**
 * Per-request latencies in ms, interleaving the targets request by request so that machine
 * noise falls on all of them alike. `firstByte` measures time to the first body chunk.
 */
export async function interleavedLatencies(targets, { count, firstByte = false }) {
  const pools = targets.map((target) => new Pool(target.url, { connections: 1, pipelining: 1 }));
  const samples = targets.map(() => []);
  try {
    for (let index = 0; index < count + 50; index += 1) {
      for (let which = 0; which < targets.length; which += 1) {
        const target = targets[which];
        const started = process.hrtime.bigint();
        const answer = await pools[which].request({ path: target.path, method: 'POST', headers: { 'content-type': 'application/json', ...target.headers }, body: target.body });
        let elapsed;
        if (firstByte) {
          for await (const _chunk of answer.body) {
            elapsed ??= process.hrtime.bigint() - started;
          }
        } else {
          await answer.body.dump();
          elapsed = process.hrtime.bigint() - started;
        }
        if (answer.statusCode !== 200) throw new Error(`${target.name} answered ${answer.statusCode}`);
        // The first requests warm connections and JIT; they are not counted.
        if (index >= 50) samples[which].push(Number(elapsed) / 1e6);
      }
    }
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
  return samples;
}

export function percentile(values, fraction) {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

export function median(values) {
  return percentile(values, 0.5);
}
