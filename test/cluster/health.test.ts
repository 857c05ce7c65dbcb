import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/start-server.js';
import { freePort as closedPort } from '../support/free-port.js';
import { createHarness } from '../support/harness.js';

describe('/health state', () => {
  it('says the embedded stores are in use when no Redis is configured', async () => {
    const harness = await createHarness();
    try {
      const server = await harness.startRouter();
      const health = (await (await fetch(`${server.url}/health`)).json()) as { status: string; state: unknown };
      expect(health).toMatchObject({ status: 'ok', state: { backend: 'embedded' } });
    } finally {
      await harness.close();
    }
  });

  it('starts and serves when the configured Redis cannot be reached, says so in /health and in the log', async () => {
    const harness = await createHarness();
    const warnings: string[] = [];
    const port = await closedPort();
    try {
      const server = await startServer({
        paths: harness.paths,
        clock: harness.clock,
        port: 0,
        announce: false,
        environment: {
          SWITCHYARD_REDIS_URL: `redis://:secret-password@127.0.0.1:${port}`,
          SWITCHYARD_REDIS_PREFIX: 'sytest-unreachable',
        },
        warn: (message) => warnings.push(message),
      });
      try {
        const answer = await fetch(`${server.url}/health`);
        expect(answer.status).toBe(200);
        expect(((await answer.json()) as { state: unknown }).state).toEqual({ backend: 'redis', connected: false });
        expect(warnings).toContain(
          `Redis at redis://:***@127.0.0.1:${port} is not reachable: serving from ` +
            `local state until it is (retrying in the background).`,
        );
        expect(warnings.join('\n')).not.toContain('secret-password');
      } finally {
        await server.close();
      }
    } finally {
      await harness.close();
    }
  });
});
