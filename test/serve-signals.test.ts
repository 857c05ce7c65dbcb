import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';
import { startServeProcess } from './support/run-binary.js';

describe('switchyard serve and stop signals', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await createHarness();
  });

  afterEach(async () => {
    await harness.close();
  });

  it('finishes and saves its statistics on SIGTERM after a token refresh has loaded the refresh lock', {
    timeout: 60_000,
  }, async () => {
    await harness.addBucket('anthropic', 'a');
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [a]\n');
    const server = await startServeProcess(['--port', '0', '--profile', 'pool', '--log-level', 'warn'], {
      SWITCHYARD_HOME: harness.home,
      HOME: harness.home,
    });
    try {
      // A 401 makes serve refresh the login, which loads proper-lockfile and, with it, signal-exit.
      harness.simulator.script('anthropic-a', [{ kind: 'unauthorized' }, { kind: 'ok' }]);
      const answer = await fetch(`${server.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({
          model: 'claude-sonnet-4-6',
          max_tokens: 32,
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      });
      expect(answer.status).toBe(200);
      expect(harness.simulator.counts('anthropic-a').refreshes).toBeGreaterThanOrEqual(1);
    } finally {
      await server.stop();
    }
    expect(server.output().stderr).toContain(
      'switchyard: SIGTERM received, finishing open requests and saving statistics',
    );
    const saved = JSON.parse(await readFile(harness.paths.stats, 'utf8')) as {
      buckets: Record<string, Record<string, number>>;
    };
    // The 401 and the answer after the refresh, and every refresh the simulator saw, are on disk.
    expect(saved.buckets['anthropic/a']).toMatchObject({
      requests: 2,
      successes: 1,
      unauthorized: 1,
      refreshes: harness.simulator.counts('anthropic-a').refreshes,
    });
  });
});
