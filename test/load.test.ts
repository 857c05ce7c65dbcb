import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Step } from '../src/provider-simulator/index.js';
import { createHarness, type Harness } from './support/harness.js';
import { errorOf, rawRequestOf } from './support/raw-requests.js';

/**
 * Load with exact accounting: many requests at 200 concurrent connections over five buckets whose
 * answers include random 429s (10 %), 401s and 5xx. Every request is answered (served, or the
 * exhausted answer, or now and then the upstream's failure: a 502 whose trail ends in the 5xx of
 * the one bucket left ready), switchyard itself answers no 5xx of its own, and its statistics
 * equal what the clients and the simulator saw. CI runs 2,000 requests; SWITCHYARD_LONG=1 runs the full 20,000.
 * The simulator revokes an access token the moment it is refreshed, so each scripted 401 turns
 * into a burst of 401s for the requests in flight: those must not use up their one refresh, or
 * the logins would be marked as needing login one after the other.
 */

const long = process.env.SWITCHYARD_LONG === '1';
const totalRequests = long ? 20_000 : 2_000;
const concurrency = 200;
const buckets = ['a', 'b', 'c', 'd', 'e'];
const seed = Number(process.env.SWITCHYARD_SEED ?? 20_261_201);

/** A small seeded generator (mulberry32), so a failing run can be replayed with SWITCHYARD_SEED. */
function random(seedValue: number): () => number {
  let state = seedValue >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** 10 % 429s, 2 % 401s (never two in a row, which would end the login), 5 % 5xx, the rest served. */
function randomSteps(next: () => number, count: number): Step[] {
  const steps: Step[] = [];
  for (let index = 0; index < count; index += 1) {
    const roll = next();
    const previous = steps.at(-1);
    if (roll < 0.1) steps.push({ kind: 'rate-limit', style: 'retry-after-seconds', resetSeconds: 1 });
    else if (roll < 0.12 && previous?.kind !== 'unauthorized') steps.push({ kind: 'unauthorized' });
    else if (roll < 0.17) steps.push({ kind: 'server-error', status: next() < 0.5 ? 503 : 500 });
    else steps.push({ kind: 'ok' });
  }
  return steps;
}

interface BucketStatistics {
  key: string;
  state: string;
  requests: number;
  successes: number;
  rateLimited: number;
  unauthorized: number;
  otherErrors: number;
}

let harness: Harness;
let url: string;
const client = new Agent({ connections: concurrency, pipelining: 0 });

beforeAll(async () => {
  harness = await createHarness();
  for (const bucket of buckets) await harness.addBucket('anthropic', bucket);
  await harness.writeProfile(
    'pool',
    `type: model\nprovider: anthropic\nbuckets: [${buckets.join(', ')}]\npolicy: roundrobin\n`,
  );
  url = (await harness.startRouter({ profile: 'pool' })).url;
});

afterAll(async () => {
  await client.close();
  await harness.close();
});

describe(`load: ${totalRequests} requests at ${concurrency} concurrent connections over ${buckets.length} buckets`, () => {
  it('answers every request (served or exhausted), with no 5xx of its own, and statistics equal to what was sent and seen', {
    timeout: long ? 600_000 : 120_000,
  }, async () => {
    const next = random(seed);
    for (const bucket of buckets)
      harness.simulator.script(
        `anthropic-${bucket}`,
        randomSteps(next, Math.ceil((totalRequests / buckets.length) * 1.6)),
      );
    const request = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');
    const outcomes = { served: 0, exhausted: 0, upstreamFailed: 0, other: [] as string[] };
    let sent = 0;

    const worker = async (): Promise<void> => {
      while (sent < totalRequests) {
        const index = sent;
        sent += 1;
        const stream = index % 2 === 1;
        const response = await fetch(`${url}${request.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...request.body, stream }),
          dispatcher: client,
        });
        const text = await response.text();
        if (
          response.status === 200 &&
          (stream ? text.includes('event: message_stop') : text.includes('"stop_reason":"end_turn"'))
        )
          outcomes.served += 1;
        else if (
          response.status === 429 &&
          errorOf('anthropic-messages', JSON.parse(text)).message.startsWith('All OAuth buckets exhausted')
        )
          outcomes.exhausted += 1;
        // The others resting from their 429s, the bucket left failed with a 5xx (a resting one gets one
        // call, its probe): the answer is that failure's, 502 with the trail (nothing-left.ts). A CI run
        // met it once under load; what matters is that it is the upstream's 5xx, not one of switchyard's.
        else if (
          response.status === 502 &&
          errorOf('anthropic-messages', JSON.parse(text)).message.startsWith(
            'Every bucket that could serve this request failed',
          ) &&
          /:5\d\d$/.test(response.headers.get('x-switchyard-attempts') ?? '')
        )
          outcomes.upstreamFailed += 1;
        else
          outcomes.other.push(
            `${response.status} ${response.headers.get('x-switchyard-attempts')} ${text.slice(0, 200)}`,
          );
        // Time moves on, so resting buckets come back as the run goes.
        if (index % 10 === 9) harness.clock.advance(1_100);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));

    expect(outcomes.other).toEqual([]);
    expect(outcomes.served + outcomes.exhausted + outcomes.upstreamFailed).toBe(totalRequests);
    expect(outcomes.upstreamFailed).toBeLessThan(totalRequests * 0.01);
    const statistics = (
      (await (await fetch(`${url}/stats/buckets`, { dispatcher: client })).json()) as { buckets: BucketStatistics[] }
    ).buckets;
    let upstreamCalls = 0;
    let successes = 0;
    for (const bucket of buckets) {
      const counted = statistics.find((entry) => entry.key === `anthropic/${bucket}`);
      const seen = harness.simulator.counts(`anthropic-${bucket}`);
      expect({
        bucket,
        requests: counted?.requests,
        successes: counted?.successes,
        rateLimited: counted?.rateLimited,
        unauthorized: counted?.unauthorized,
      }).toEqual({
        bucket,
        requests: seen.requests,
        successes: seen.byStatus[200] ?? 0,
        rateLimited: seen.byStatus[429] ?? 0,
        unauthorized: seen.byStatus[401] ?? 0,
      });
      upstreamCalls += counted?.requests ?? 0;
      successes += counted?.successes ?? 0;
    }
    expect(upstreamCalls).toBe(harness.simulator.totalRequests());
    expect(successes).toBe(outcomes.served);
    // The run is meant to stress failover: each kind of fault did happen.
    const faults = statistics.reduce(
      (sum, entry) => ({
        rateLimited: sum.rateLimited + entry.rateLimited,
        unauthorized: sum.unauthorized + entry.unauthorized,
        otherErrors: sum.otherErrors + entry.otherErrors,
      }),
      { rateLimited: 0, unauthorized: 0, otherErrors: 0 },
    );
    expect(faults.rateLimited).toBeGreaterThan(upstreamCalls * 0.03);
    expect(faults.unauthorized).toBeGreaterThan(0);
    expect(faults.otherErrors).toBeGreaterThan(0);
    // Two scripted 401s in a row for one request may end a login; a burst of stale-token 401s must not end them all.
    expect(statistics.filter((entry) => entry.state !== 'needs-login').length).toBeGreaterThanOrEqual(3);
    const states = statistics.map((entry) => `${entry.key} ${entry.state}`).join(', ');
    process.stdout.write(
      `load (seed ${seed}): ${totalRequests} requests, ${outcomes.served} ` +
        `served, ${outcomes.exhausted} exhausted, ${outcomes.upstreamFailed} upstream failures, ` +
        `${upstreamCalls} upstream calls ` +
        `${JSON.stringify(faults)}; at the end: ${states}\n`,
    );
  });
});
