import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw, rawRequestOf } from './support/raw-requests.js';
import { runBinary, startServeProcess } from './support/run-binary.js';

/**
 * `stats buckets` right after a request shows it, through the real binary: the figures come live
 * from the running server, not from stats.json (written every few seconds), and from stats.json
 * once no server runs.
 */

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const messages = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');

describe('stats buckets with a server running', () => {
  it('shows a request at once, then the same figures from stats.json after the server stops', {
    timeout: 30_000,
  }, async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'a', { expiresInSeconds: 90 * 86_400 });
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    const environment = { SWITCHYARD_HOME: harness.home, HOME: harness.home };
    const server = await startServeProcess(['--port', '0', '--profile', 'pool', '--log-level', 'warn'], environment);
    try {
      for (let request = 1; request <= 2; request += 1) {
        // The second streams: its figures are counted when the stream ends, before the client has it all.
        const body = { ...messages.body, stream: request === 2 };
        const answer = await postRaw(server.url, messages.path, JSON.stringify(body));
        expect(answer.status).toBe(200);
        const shown = await runBinary(['stats', 'buckets'], environment);
        expect(shown.code).toBe(0);
        expect(shown.stdout).toMatch(
          new RegExp(`^OAuth Bucket Statistics:\\n  anthropic/a: ${request} requests \\(last used: `),
        );
        expect(shown.stdout).toContain(`${request} ok`);
        const json = await runBinary(['stats', 'buckets', '--json'], environment);
        const { buckets } = JSON.parse(json.stdout) as { buckets: { key: string; requests: number }[] };
        expect(buckets).toEqual([
          expect.objectContaining({ key: 'anthropic/a', requests: request, successes: request }),
        ]);
      }
    } finally {
      await server.stop();
    }
    const persisted = await runBinary(['stats', 'buckets'], environment);
    expect(persisted.stdout).toMatch(/^OAuth Bucket Statistics:\n {2}anthropic\/a: 2 requests \(last used: /);
  });

  it("shows the first server's figures at once after a second server on the same home has stopped", {
    timeout: 30_000,
  }, async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'a', { expiresInSeconds: 90 * 86_400 });
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    const environment = { SWITCHYARD_HOME: harness.home, HOME: harness.home };
    const args = ['--port', '0', '--profile', 'pool', '--log-level', 'warn'];
    const first = await startServeProcess(args, environment);
    try {
      // It used to replace server.json and delete it on stop: the CLI then read stats.json, seconds old.
      const second = await startServeProcess(
        [...args, '--server-file', join(harness.home, 'second.json')],
        environment,
      );
      await second.stop();
      const answer = await postRaw(first.url, messages.path, JSON.stringify(messages.body));
      expect(answer.status).toBe(200);
      const shown = await runBinary(['stats', 'buckets'], environment);
      expect(shown.stdout).toMatch(/^OAuth Bucket Statistics:\n {2}anthropic\/a: 1 requests \(last used: /);
    } finally {
      await first.stop();
    }
  });
});
