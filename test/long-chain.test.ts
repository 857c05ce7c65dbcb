import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';
import { startServeProcess } from './support/run-binary.js';

/** Buckets without a login ahead of the one that answers: the chain the hostile test used. */
const chainLength = 20_000;
const concurrentRequests = 16;
/** The router re-checks a bucket needing login after this long (a local look-up, no upstream call). */
const loginRecheckMs = 5_000;

/** How one long-chain request ended: an answer, or the connection closed by the stopping server. */
type Ending = { status: number } | { closed: string };

/**
 * A Messages request read with node's own client, whose header limit is raised: this test is about
 * the walk down the chain, not the size of the attempts header.
 */
function postMessage(url: string): Promise<Ending> {
  return new Promise((resolve) => {
    const outgoing = request(
      `${url}/v1/messages`,
      {
        method: 'POST',
        maxHeaderSize: 16 * 1024 * 1024,
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      },
      (answer) => {
        answer.resume();
        answer.on('end', () => resolve({ status: answer.statusCode ?? 0 }));
        answer.on('error', (error) => resolve({ closed: error.message }));
      },
    );
    outgoing.on('error', (error) => resolve({ closed: error.message }));
    outgoing.end(
      JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] }),
    );
  });
}

describe('a 20,000-bucket chain under load (the real binary)', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await createHarness();
  });

  afterEach(async () => {
    await harness.close();
  });

  it('answers /health and ends on SIGTERM while requests walk the chain', { timeout: 120_000 }, async () => {
    await harness.addBucket('anthropic', 'ready');
    const missing = Array.from({ length: chainLength - 1 }, (_, index) => `n${index}`);
    await harness.writeProfile(
      'long',
      `type: model\nprovider: anthropic\nbuckets: [${[...missing, 'ready'].join(', ')}]\n`,
    );
    const server = await startServeProcess(['--port', '0', '--profile', 'long', '--log-level', 'warn'], {
      SWITCHYARD_HOME: harness.home,
      HOME: harness.home,
    });
    // A failing run must not leave the server behind.
    onTestFinished(() => {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    });
    let pending = 0;
    const wave = () =>
      Array.from({ length: concurrentRequests }, async () => {
        pending += 1;
        try {
          return await postMessage(server.url);
        } finally {
          pending -= 1;
        }
      });
    /** /health answers while requests are still walking the chain. */
    const healthMeanwhile = async () => {
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      expect(pending).toBeGreaterThan(0);
    };

    // First walk: 19,999 token files that are not there, read while the requests wait (I/O).
    const first = wave();
    await healthMeanwhile();
    expect(await Promise.all(first)).toEqual(Array.from({ length: concurrentRequests }, () => ({ status: 200 })));

    // Once their login re-check is due, the walk is all in memory: nothing but the router's own
    // yields lets /health and the signal in (the hostile test saw neither for minutes).
    await new Promise((resolve) => setTimeout(resolve, loginRecheckMs + 500));
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    const second = wave();
    await healthMeanwhile();
    server.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(server.output().stderr).toContain('switchyard: SIGTERM received, finishing open requests');
    // Every request ended: answered by the last bucket, or cut when the server stopped; none hangs.
    for (const ending of await Promise.all(second)) {
      if ('status' in ending) expect(ending.status).toBe(200);
      else expect(ending.closed).toMatch(/socket hang up|ECONNRESET|aborted/);
    }
    // The upstream never saw a call for a bucket without a login: only the last bucket was called.
    expect(harness.simulator.counts('anthropic-ready').requests).toBeLessThanOrEqual(2 * concurrentRequests);
  });
});
