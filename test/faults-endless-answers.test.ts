import { Agent, fetch } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProviderName } from '../src/core/types.js';
import { dispatchedEvents } from '../src/router/testing/client-event-parser.js';
import { createHarness, type Harness } from './support/harness.js';
import { expectNothingLeftBehind, openResources, type ResourceCounts } from './support/leak-check.js';
import { scrape } from './support/prometheus.js';
import { errorOf, rawRequestOf } from './support/raw-requests.js';

/**
 * Fault suite, issue 18 item 3: an upstream 200 whose body never ends. switchyard holds at most
 * `answerLimitBytes` of a plain answer and `eventLimitBytes` of one stream event; past them the
 * bucket failed (the next one answers, or a 502 in the caller's format), counted as such, with
 * the upstream request cancelled. Before, a plain answer was held until the first-byte timeout
 * (2.5 GB in 5 s), and a first event that never ended was relayed for gigabytes.
 */

const request = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');
const mebibyte = 1024 * 1024;

let harness: Harness;
let client: Agent;
let url: string;
let baseline: ResourceCounts;

/** Two buckets, a and b, under limits of `limits` (config.yaml `routing`), or the defaults. */
async function start(limits = '', provider: ProviderName = 'anthropic'): Promise<void> {
  baseline = openResources();
  harness = await createHarness({ configExtra: limits });
  for (const bucket of ['a', 'b']) await harness.addBucket(provider, bucket);
  await harness.writeProfile('pool', `type: model\nprovider: ${provider}\nbuckets: [a, b]\n`);
  url = (await harness.startRouter({ profile: 'pool' })).url;
  client = new Agent();
}

afterEach(async () => {
  expect((await fetch(`${url}/health`, { dispatcher: client })).status).toBe(200);
  // Nothing still open towards the provider: the endless answers were cancelled.
  await vi.waitFor(
    () =>
      expect(
        Object.values(harness.simulator.allCounts())
          .map((counts) => counts.inFlight)
          .filter((count) => count > 0),
      ).toEqual([]),
    { timeout: 10_000 },
  );
  await client.close();
  await harness.close();
  await expectNothingLeftBehind(baseline);
});

async function send(stream: boolean) {
  const response = await fetch(`${url}${request.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...request.body, stream }),
    dispatcher: client,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function bucketStatistics(key: string): Promise<Record<string, number>> {
  const answer = (await (await fetch(`${url}/stats/buckets`, { dispatcher: client })).json()) as {
    buckets: ({ key: string } & Record<string, number>)[];
  };
  return answer.buckets.find((bucket) => bucket.key === key) ?? {};
}

async function tooLargeFailovers(): Promise<number> {
  return (await scrape(url)).sum('switchyard_failovers_total', { bucket: 'a', reason: 'answer_too_large' });
}

describe.each([
  { mode: 'plain', stream: false, limits: `  answerLimitBytes: ${mebibyte}\n` },
  { mode: 'streaming', stream: true, limits: `  eventLimitBytes: ${mebibyte}\n` },
])('a $mode answer that never ends', ({ stream, limits }) => {
  it('fails the bucket at the configured limit and fails over, counted as too large', async () => {
    await start(limits);
    harness.simulator.script('anthropic-a', [{ kind: 'endless' }]);
    const answer = await send(stream);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-switchyard-attempts')).toBe('anthropic/a:too-large,anthropic/b:200');
    expect(answer.text).toContain('anthropic-b');
    expect(await bucketStatistics('anthropic/a')).toMatchObject({ requests: 1, otherErrors: 1, successes: 0 });
    expect(await tooLargeFailovers()).toBe(1);
    await vi.waitFor(() => expect(harness.simulator.counts('anthropic-a')).toMatchObject({ aborted: 1 }));
  });

  it("answers 502 in the caller's format when every bucket's answer never ends", async () => {
    await start(limits);
    harness.simulator.setBehavior('anthropic-a', { kind: 'endless' });
    harness.simulator.setBehavior('anthropic-b', { kind: 'endless' });
    const answer = await send(stream);
    expect(answer.status).toBe(502);
    expect(errorOf('anthropic-messages', JSON.parse(answer.text)).message).toBe(
      'Every bucket that could serve this request failed (attempts: anthropic/a:too-large, anthropic/b:too-large).',
    );
    expect(await bucketStatistics('anthropic/b')).toMatchObject({ requests: 1, otherErrors: 1 });
  });
});

describe('limits of what is held', () => {
  it('fail a first stream event that never ends at the default limit, well before a real answer is hurt', async () => {
    await start();
    harness.simulator.script('anthropic-a', [{ kind: 'endless' }]);
    const answer = await send(true);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-switchyard-attempts')).toBe('anthropic/a:too-large,anthropic/b:200');
  });

  it('end a started stream whose next event never ends with an error event the client parses', async () => {
    await start(`  eventLimitBytes: ${mebibyte}\n`);
    harness.simulator.script('anthropic-a', [{ kind: 'endless', afterEvents: 4 }]);
    const answer = await send(true);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-switchyard-bucket')).toBe('anthropic/a');
    expect(answer.text.length).toBeLessThan(mebibyte);
    const events = dispatchedEvents(answer.text);
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'error',
    ]);
    expect(JSON.parse(events[4]!.data)).toMatchObject({
      type: 'error',
      error: {
        message: `The upstream sent a stream event larger than the limit of ${mebibyte} bytes; the answer is incomplete.`,
      },
    });
    expect(await bucketStatistics('anthropic/a')).toMatchObject({ requests: 1, otherErrors: 1, successes: 0 });
  });

  it('fail a Gemini Code Assist stream whose first event never ends, its unwrapper holding no more', async () => {
    await start(`  eventLimitBytes: ${mebibyte}\n`, 'gemini');
    harness.simulator.script('gemini-a', [{ kind: 'endless' }]);
    const response = await fetch(`${url}/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rawRequestOf('gemini', 'gemini-2.5-pro').body),
      dispatcher: client,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-attempts')).toBe('gemini/a:too-large,gemini/b:200');
    expect(await response.text()).toContain('gemini-b');
  });

  it('refuse a limit too small to hold a real event, saying which setting', async () => {
    baseline = openResources();
    harness = await createHarness({ configExtra: '  eventLimitBytes: 10\n' });
    await expect(harness.startRouter()).rejects.toThrow(/eventLimitBytes/);
    // Started after all, so that the checks after each test have a server to ask.
    await harness.close();
    await start();
  });
});
