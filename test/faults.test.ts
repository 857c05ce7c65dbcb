import { Agent, fetch } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readTextOrNull, writePrivateFile } from '../src/config/secure-files.js';
import type { Step } from '../src/provider-simulator/index.js';
import { freePort } from './support/free-port.js';
import { createHarness, type Harness } from './support/harness.js';
import { expectNothingLeftBehind, openResources, type ResourceCounts } from './support/leak-check.js';
import { errorOf, rawRequestOf } from './support/raw-requests.js';

/**
 * One test per upstream fault, for plain and streaming requests: the client always gets a
 * well-formed answer or error in its own (Anthropic) format, the server keeps running, the
 * statistics count every upstream call, and no timer or socket is left behind.
 */

const request = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');
/** Short enough that a stall costs a test a fraction of a second. */
const firstByteTimeoutMs = 300;
const requestTimeoutMs = 5_000;

interface BucketStatistics {
  key: string;
  requests: number;
  successes: number;
  otherErrors: number;
  timeouts: number;
  cancelled: number;
  outputTokens: number;
}

let harness: Harness;
let client: Agent;
let url = '';
let baseline: ResourceCounts;

beforeEach(async () => {
  url = '';
  baseline = openResources();
  harness = await createHarness({
    configExtra: `  requestTimeoutMs: ${requestTimeoutMs}\n  firstByteTimeoutMs: ${firstByteTimeoutMs}\n`,
  });
  for (const bucket of ['a', 'b']) await harness.addBucket('anthropic', bucket);
  await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, b]\n');
  client = new Agent();
});

afterEach(async () => {
  if (url !== '') {
    // The server kept running through the fault...
    expect((await fetch(`${url}/health`, { dispatcher: client })).status).toBe(200);
    await client.close();
    // ... and nothing is still open towards the client or the provider once every answer is in.
    await vi.waitFor(
      () =>
        expect(
          Object.values(harness.simulator.allCounts())
            .map((counts) => counts.inFlight)
            .filter((count) => count > 0),
        ).toEqual([]),
      { timeout: 10_000 },
    );
    await vi.waitFor(async () => expect(await harness.router().connections()).toBe(0), { timeout: 10_000 });
  } else {
    await client.close();
  }
  await harness.close();
  await expectNothingLeftBehind(baseline);
});

async function startRouter(): Promise<void> {
  url = (await harness.startRouter({ profile: 'pool' })).url;
}

/** Sends the Anthropic request, plain or streaming, and reads the whole answer. */
async function send(stream: boolean, signal?: AbortSignal) {
  const response = await fetch(`${url}${request.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...request.body, stream }),
    dispatcher: client,
    ...(signal ? { signal } : {}),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function statistics(): Promise<Record<string, BucketStatistics>> {
  const answer = (await (await fetch(`${url}/stats/buckets`, { dispatcher: client })).json()) as {
    buckets: BucketStatistics[];
  };
  return Object.fromEntries(answer.buckets.map((bucket) => [bucket.key, bucket]));
}

/** Every upstream call the simulator saw is counted by switchyard, bucket by bucket. */
async function expectStatisticsMatchSimulator(): Promise<Record<string, BucketStatistics>> {
  const counted = await statistics();
  for (const bucket of ['a', 'b']) {
    expect({ bucket, requests: counted[`anthropic/${bucket}`]?.requests ?? 0 }).toEqual({
      bucket,
      requests: harness.simulator.counts(`anthropic-${bucket}`).requests,
    });
  }
  return counted;
}

/** A whole, well-formed Anthropic answer served by bucket b: JSON, or a stream that ends with message_stop. */
function expectServedByB(answer: { status: number; headers: Headers; text: string }, stream: boolean): void {
  expect(answer.status).toBe(200);
  expect(answer.headers.get('x-switchyard-bucket')).toBe('anthropic/b');
  if (stream) {
    expect(answer.text).toContain('anthropic-b');
    expect(answer.text).not.toContain('anthropic-a');
    expect(answer.text.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);
  } else {
    expect((JSON.parse(answer.text) as { content: { text: string }[] }).content[0]?.text).toMatch(
      /^Hello from anthropic-b/,
    );
  }
}

/** The stream began, then ended with an Anthropic error event carrying this code. */
function expectStreamEndedWithError(text: string, code: string): { message: string } {
  const events = text.trimEnd().split('\n\n');
  const last = events.at(-1) ?? '';
  expect(last.startsWith('event: error\ndata: ')).toBe(true);
  const error = errorOf('anthropic-messages', JSON.parse(last.slice('event: error\ndata: '.length)));
  expect(text).toContain('event: content_block_delta');
  expect(JSON.parse(last.slice('event: error\ndata: '.length)).error.code).toBe(code);
  return error;
}

function script(bucket: 'a' | 'b', ...steps: Step[]): void {
  harness.simulator.script(`anthropic-${bucket}`, steps);
}

describe.each([
  { mode: 'plain', stream: false },
  { mode: 'streaming', stream: true },
])('$mode requests under upstream faults', ({ stream }) => {
  it('answers a well-formed 502 when the provider refuses connections, and counts each attempt', async () => {
    const closedPort = await freePort();
    const config = (await readTextOrNull(harness.paths.config)) ?? '';
    await writePrivateFile(
      harness.paths.config,
      config.replace(
        `  anthropic:\n    baseUrl: ${harness.simulator.url}\n`,
        `  anthropic:\n    baseUrl: http://127.0.0.1:${closedPort}\n`,
      ),
    );
    await startRouter();
    const answer = await send(stream);
    expect(answer.status).toBe(502);
    expect(errorOf('anthropic-messages', JSON.parse(answer.text)).message).toBe(
      'Every bucket that could serve this request failed (attempts: ' +
        'anthropic/a:network, anthropic/a:network, anthropic/a:network, ' +
        'anthropic/b:network, anthropic/b:network, anthropic/b:network). Network errors: ' +
        `anthropic/a ECONNREFUSED 127.0.0.1:${closedPort}, anthropic/b ECONNREFUSED 127.0.0.1:${closedPort}.`,
    );
    const counted = await statistics();
    expect(counted['anthropic/a']).toMatchObject({ requests: 3, otherErrors: 3, successes: 0 });
    expect(counted['anthropic/b']).toMatchObject({ requests: 3, otherErrors: 3, successes: 0 });
  });

  it('fails over when the connection is reset before the headers', async () => {
    await startRouter();
    script('a', { kind: 'reset', at: 'connect' }, { kind: 'reset', at: 'connect' }, { kind: 'reset', at: 'connect' });
    const answer = await send(stream);
    expectServedByB(answer, stream);
    expect(answer.headers.get('x-switchyard-attempts')).toBe(
      'anthropic/a:network,anthropic/a:network,anthropic/a:network,anthropic/b:200',
    );
    const counted = await expectStatisticsMatchSimulator();
    expect(counted['anthropic/a']).toMatchObject({ requests: 3, otherErrors: 3 });
  });

  it('fails over when the connection is reset right after the headers', async () => {
    await startRouter();
    script('a', { kind: 'reset', at: 'headers' }, { kind: 'reset', at: 'headers' }, { kind: 'reset', at: 'headers' });
    const answer = await send(stream);
    expectServedByB(answer, stream);
    const counted = await expectStatisticsMatchSimulator();
    expect(counted['anthropic/a']).toMatchObject({ requests: 3, otherErrors: 3, successes: 0 });
    expect(counted['anthropic/b']).toMatchObject({ requests: 1, successes: 1 });
  });

  it('handles a reset in the middle of the answer: a plain one fails over, a started stream ends with an error event', async () => {
    await startRouter();
    script('a', { kind: 'reset', at: 'body' }, { kind: 'reset', at: 'body' }, { kind: 'reset', at: 'body' });
    const answer = await send(stream);
    if (stream) {
      // The stream had begun (the client holds bucket a's first events): failing over is no longer possible.
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-switchyard-bucket')).toBe('anthropic/a');
      expect(expectStreamEndedWithError(answer.text, 'upstream_stream_broken').message).toBe(
        'The upstream stream broke off after it had started; the answer is incomplete.',
      );
      const counted = await expectStatisticsMatchSimulator();
      expect(counted['anthropic/a']).toMatchObject({ requests: 1, otherErrors: 1, successes: 0 });
    } else {
      expectServedByB(answer, stream);
      expect(answer.headers.get('x-switchyard-attempts')).toBe(
        'anthropic/a:body-failed,anthropic/a:body-failed,anthropic/a:body-failed,anthropic/b:200',
      );
      const counted = await expectStatisticsMatchSimulator();
      expect(counted['anthropic/a']).toMatchObject({ requests: 3, otherErrors: 3 });
    }
  });

  it('fails a bucket whose headers never come over after the first-byte timeout, and cancels its request', async () => {
    await startRouter();
    script('a', { kind: 'stall', at: 'headers' });
    const answer = await send(stream);
    expectServedByB(answer, stream);
    expect(answer.headers.get('x-switchyard-attempts')).toBe('anthropic/a:timeout,anthropic/b:200');
    const counted = await expectStatisticsMatchSimulator();
    expect(counted['anthropic/a']).toMatchObject({ requests: 1, timeouts: 1, successes: 0 });
    await vi.waitFor(() => expect(harness.simulator.counts('anthropic-a')).toMatchObject({ aborted: 1, inFlight: 0 }), {
      timeout: 10_000,
    });
  });

  it('fails a bucket whose body stalls before the first byte over after the first-byte timeout', async () => {
    await startRouter();
    script('a', { kind: 'stall', at: 'body' });
    const answer = await send(stream);
    expectServedByB(answer, stream);
    expect(answer.headers.get('x-switchyard-attempts')).toBe('anthropic/a:timeout,anthropic/b:200');
    const counted = await expectStatisticsMatchSimulator();
    expect(counted['anthropic/a']).toMatchObject({ requests: 1, timeouts: 1 });
    await vi.waitFor(() => expect(harness.simulator.counts('anthropic-a')).toMatchObject({ aborted: 1, inFlight: 0 }), {
      timeout: 10_000,
    });
  });

  it('answers a 5xx storm on every bucket with a well-formed 502 after bounded retries', async () => {
    await startRouter();
    harness.simulator.setBehavior('anthropic-a', { kind: 'server-error', status: 503 });
    harness.simulator.setBehavior('anthropic-b', { kind: 'server-error', status: 500 });
    const answers = await Promise.all(Array.from({ length: 5 }, () => send(stream)));
    for (const answer of answers) {
      expect(answer.status).toBe(502);
      expect(errorOf('anthropic-messages', JSON.parse(answer.text)).message).toMatch(
        /^Every bucket that could serve this request failed \(attempts: anthropic\/a:503, /,
      );
    }
    const counted = await expectStatisticsMatchSimulator();
    expect(counted['anthropic/a']).toMatchObject({ requests: 15, otherErrors: 15 });
    expect(counted['anthropic/b']).toMatchObject({ requests: 15, otherErrors: 15 });
  });

  it('fails over when the provider answers 200 with JSON that does not parse', async () => {
    await startRouter();
    script('a', { kind: 'malformed' }, { kind: 'malformed' }, { kind: 'malformed' });
    const answer = await send(stream);
    expectServedByB(answer, stream);
    expect(answer.headers.get('x-switchyard-attempts')).toBe(
      stream
        ? 'anthropic/a:stream-error,anthropic/a:stream-error,anthropic/a:stream-error,anthropic/b:200'
        : 'anthropic/a:malformed,anthropic/a:malformed,anthropic/a:malformed,anthropic/b:200',
    );
    const counted = await expectStatisticsMatchSimulator();
    expect(counted['anthropic/a']).toMatchObject({ requests: 3, otherErrors: 3, successes: 0 });
  });

  it('relays a very large answer whole and counts its tokens', { timeout: 30_000 }, async () => {
    // Building and moving megabytes takes longer than the suite's hasty first-byte timeout.
    await harness.writeProfile(
      'pool',
      'type: model\nprovider: anthropic\nbuckets: [a, b]\ntimeouts: {firstByteMs: 60000}\n',
    );
    await startRouter();
    // Megabytes either way: 400,000 words as one JSON body, or 20,000 stream events.
    const deltas = stream ? 20_000 : 400_000;
    script('a', { kind: 'ok', streamEvents: deltas });
    const answer = await send(stream);
    expect(answer.status).toBe(200);
    expect(answer.text.length).toBeGreaterThan(1_500_000);
    if (stream) {
      expect(answer.text.match(/event: content_block_delta/g)).toHaveLength(deltas);
      expect(answer.text.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);
    } else {
      const body = JSON.parse(answer.text) as { content: { text: string }[]; usage: { output_tokens: number } };
      expect(body.content[0]?.text.split(' ')).toHaveLength(deltas);
    }
    const counted = await expectStatisticsMatchSimulator();
    expect(counted['anthropic/a']).toMatchObject({ requests: 1, successes: 1, outputTokens: deltas });
  });

  it('cancels the upstream request when the client disconnects midway, and counts it as cancelled', async () => {
    await startRouter();
    // Plain: the provider is still thinking; streaming: the first events are out and the rest is held.
    script('a', stream ? { kind: 'ok', holdOpenMs: 600_000 } : { kind: 'stall', at: 'headers' });
    const leaving = new AbortController();
    const pending = fetch(`${url}${request.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...request.body, stream }),
      dispatcher: client,
      signal: leaving.signal,
    });
    if (stream) {
      const response = await pending;
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: message_start');
      leaving.abort();
      await reader.read().catch(() => undefined);
    } else {
      await vi.waitFor(() => expect(harness.simulator.counts('anthropic-a').inFlight).toBe(1), { timeout: 10_000 });
      leaving.abort();
      await expect(pending).rejects.toThrow();
    }
    await vi.waitFor(() => expect(harness.simulator.counts('anthropic-a')).toMatchObject({ aborted: 1, inFlight: 0 }), {
      timeout: 10_000,
    });
    await vi.waitFor(
      async () =>
        expect((await statistics())['anthropic/a']).toMatchObject({
          requests: 1,
          cancelled: 1,
          successes: 0,
          otherErrors: 0,
        }),
      { timeout: 10_000 },
    );
    expect(harness.simulator.counts('anthropic-b').requests).toBe(0);
  });
});

describe('the request deadline', () => {
  it("ends a plain request that no bucket answers in time with a 504 in the caller's format", async () => {
    await harness.writeProfile(
      'pool',
      'type: model\nprovider: anthropic\nbuckets: [a, b]\ntimeouts: {requestMs: 400, firstByteMs: 60000}\n',
    );
    await startRouter();
    script('a', { kind: 'stall', at: 'headers' });
    const answer = await send(false);
    expect(answer.status).toBe(504);
    expect(errorOf('anthropic-messages', JSON.parse(answer.text))).toEqual({
      message: 'No answer within the request deadline of 400 ms (attempts: anthropic/a:deadline).',
      type: 'timeout_error',
    });
    expect((await statistics())['anthropic/a']).toMatchObject({ requests: 1, timeouts: 1 });
    await vi.waitFor(() => expect(harness.simulator.counts('anthropic-a')).toMatchObject({ aborted: 1, inFlight: 0 }), {
      timeout: 10_000,
    });
  });

  it('ends a stream that is still going at the deadline with an error event, and counts a timeout', async () => {
    await harness.writeProfile(
      'pool',
      'type: model\nprovider: anthropic\nbuckets: [a, b]\ntimeouts: {requestMs: 400}\n',
    );
    await startRouter();
    script('a', { kind: 'ok', holdOpenMs: 600_000 });
    const answer = await send(true);
    expect(answer.status).toBe(200);
    expect(expectStreamEndedWithError(answer.text, 'deadline_exceeded').message).toBe(
      'The request deadline of 400 ms passed while the answer was streaming; the answer is incomplete.',
    );
    expect((await statistics())['anthropic/a']).toMatchObject({ requests: 1, timeouts: 1, successes: 0 });
    await vi.waitFor(() => expect(harness.simulator.counts('anthropic-a')).toMatchObject({ aborted: 1, inFlight: 0 }), {
      timeout: 10_000,
    });
  });

  it("takes a bucket's first-byte timeout from its own model profile inside a load balancer", async () => {
    await harness.addBucket('anthropic', 'c');
    await harness.writeProfile(
      'patient',
      'type: model\nprovider: anthropic\nbuckets: [a]\ntimeouts: {firstByteMs: 60000}\n',
    );
    await harness.writeProfile('hasty', 'type: model\nprovider: anthropic\nbuckets: [c]\n');
    await harness.writeProfile(
      'pool',
      'type: loadbalancer\npolicy: failover\nprofiles: [patient, hasty]\ntimeouts: {requestMs: 700}\n',
    );
    await startRouter();
    // a may take a minute to its first byte, but the whole request only has 700 ms: the deadline ends it.
    script('a', { kind: 'stall', at: 'headers' });
    const answer = await send(false);
    expect(answer.status).toBe(504);
    expect(answer.headers.get('x-switchyard-attempts')).toBe('anthropic/a:deadline');
    expect(harness.simulator.counts('anthropic-c').requests).toBe(0);
  });
});
