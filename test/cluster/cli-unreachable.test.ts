import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort as closedPort } from '../support/free-port.js';
import { runBinary, startServeProcess } from '../support/run-binary.js';

describe('the CLI in cluster mode', () => {
  it("refuses to import tokens when the cluster's Redis cannot be reached, rather than writing where no instance reads", async () => {
    const home = await mkdtemp(join(tmpdir(), 'switchyard-cli-cluster-'));
    try {
      const port = await closedPort();
      const file = join(home, 'tokens.json');
      await writeFile(
        file,
        JSON.stringify({ access_token: 'SECRET-ACCESS', refresh_token: 'SECRET-REFRESH', expires_at: 1_900_000_000 }),
      );
      const result = await runBinary(['auth', 'anthropic', 'import', 'work1', '--from', file], {
        SWITCHYARD_HOME: home,
        HOME: home,
        SWITCHYARD_REDIS_URL: `redis://127.0.0.1:${port}`,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `switchyard: Redis at redis://127.0.0.1:${port} is not reachable, so ` +
          `tokens cannot be stored. Start Redis or check SWITCHYARD_REDIS_URL, then ` +
          `try again.\n`,
      );
      expect(result.stdout + result.stderr).not.toContain('SECRET');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('never prints a Redis password, in the CLI errors or in the server log, whatever form it takes', async () => {
    const home = await mkdtemp(join(tmpdir(), 'switchyard-cli-cluster-'));
    try {
      const port = await closedPort();
      const forms = [
        [`redis://127.0.0.1:${port}/?password=hunter2`, `redis://127.0.0.1:${port}/?password=***`],
        [`rediss://someone:hunter2@127.0.0.1:${port}`, `rediss://someone:***@127.0.0.1:${port}`],
      ];
      for (const [url, shown] of forms) {
        const result = await runBinary(['auth', 'anthropic', 'status'], {
          SWITCHYARD_HOME: home,
          HOME: home,
          SWITCHYARD_REDIS_URL: url,
        });
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(
          `switchyard: Redis at ${shown} is not reachable, so buckets cannot be listed. ` +
            `Start Redis or check SWITCHYARD_REDIS_URL, then try again.\n`,
        );
        expect(result.stdout + result.stderr).not.toContain('hunter2');
      }
      const server = await startServeProcess(['--port', '0'], {
        SWITCHYARD_HOME: home,
        HOME: home,
        SWITCHYARD_REDIS_URL: forms[0]![0],
      });
      await server.stop();
      const { stdout, stderr } = server.output();
      expect(stderr).toContain(`Redis at ${forms[0]![1]} is not reachable: serving from local state`);
      expect(stdout + stderr).not.toContain('hunter2');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 30_000);
});
