import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort as closedPort } from '../support/free-port.js';
import { runBinary } from '../support/run-binary.js';

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
});
