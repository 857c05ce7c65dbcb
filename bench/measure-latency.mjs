// Per-request latency at one connection, timed with process.hrtime.bigint (autocannon's
// latencies have only millisecond resolution, too coarse for a fraction of a millisecond).
import { Pool } from 'undici';

/**
 * Sends `count` sequential requests to each target over its own keep-alive connection,
 * interleaved request by request (and in alternating order) so that machine noise falls on
 * every target alike; resolves with one array of milliseconds per target. `firstByte` times
 * the first body chunk (a stream's first event) instead of the whole answer.
 */
export async function interleavedLatencies(targets, { count, warmUp = 200, firstByte = false }) {
  const pools = targets.map((target) => new Pool(target.url, { connections: 1, pipelining: 1 }));
  const samples = targets.map(() => []);
  try {
    for (let index = 0; index < warmUp + count; index += 1) {
      for (let position = 0; position < targets.length; position += 1) {
        const which = index % 2 === 0 ? position : targets.length - 1 - position;
        const elapsed = await timeOne(pools[which], targets[which], firstByte);
        if (index >= warmUp) samples[which].push(elapsed);
      }
    }
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
  return samples;
}

async function timeOne(pool, target, firstByte) {
  const started = process.hrtime.bigint();
  const answer = await pool.request({
    path: target.path,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
  });
  let finished;
  for await (const _chunk of answer.body) {
    if (firstByte) finished ??= process.hrtime.bigint();
  }
  finished ??= process.hrtime.bigint();
  if (answer.statusCode !== 200) throw new Error(`${target.name} answered ${answer.statusCode}`);
  return Number(finished - started) / 1e6;
}
