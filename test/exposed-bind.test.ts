import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBinary, startServeProcess } from './support/run-binary.js';

let home: string;
let environment: NodeJS.ProcessEnv;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'switchyard-bind-'));
  environment = { SWITCHYARD_HOME: home, HOME: home };
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** What `openssl rand -hex 32` prints: a key nobody can guess. */
const strongKey = '9c3e0f6a1b7d24e58f0a6c3d9b1e7f24a5c8d0b3e6f91a2c4d7e0b5f8a3c6d91';

describe('serve on an address other machines can reach', () => {
  it('checks what a host name resolves to, not how it starts', async () => {
    // `.invalid` never resolves (RFC 6761): the name only looks like loopback.
    const lookalike = await runBinary(['serve', '--host', '127.0.0.1.invalid', '--port', '0'], environment);
    expect(lookalike.code).toBe(1);
    expect(lookalike.stderr).toMatch(
      /^switchyard: Refusing to listen on 127\.0\.0\.1\.invalid without client keys \(127\.0\.0\.1\.invalid could not be resolved \([A-Z_]+\), so it is not known to be loopback\): anyone who can reach it could spend your accounts\./,
    );
    // A name that resolves only to loopback is still a loopback bind: no key needed.
    const named = await startServeProcess(['--host', 'localhost', '--port', '0'], environment);
    try {
      expect((await fetch(`${named.url}/health`)).status).toBe(200);
    } finally {
      await named.stop();
    }
  });

  it('refuses a key a guesser could find, saying how to make one, and starts with a random one', async () => {
    const short = await runBinary(['serve', '--host', '0.0.0.0', '--port', '0'], {
      ...environment,
      SWITCHYARD_API_KEY: 'x',
    });
    expect(short).toMatchObject({
      code: 1,
      stderr:
        'switchyard: Refusing to listen on 0.0.0.0 (0.0.0.0 is not a loopback address) with a key that could ' +
        'be guessed: SWITCHYARD_API_KEY is 1 character long (at least 32 needed). A server other machines ' +
        'can reach needs random keys; make one with `openssl rand -hex 32` (or `switchyard client add NAME`).\n',
    });
    const admin = await runBinary(['serve', '--host', '0.0.0.0', '--port', '0'], {
      ...environment,
      SWITCHYARD_API_KEY: strongKey,
      SWITCHYARD_ADMIN_KEY: 'a'.repeat(40),
    });
    expect(admin.code).toBe(1);
    expect(admin.stderr).toContain(
      'SWITCHYARD_ADMIN_KEY repeats a few characters (1 different ones; a random key has many more).',
    );
    const served = await startServeProcess(['--host', '0.0.0.0', '--port', '0'], {
      ...environment,
      SWITCHYARD_API_KEY: strongKey,
    });
    try {
      const port = new URL(served.url).port;
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      const refused = await fetch(`http://127.0.0.1:${port}/stats/buckets`);
      expect(refused.status).toBe(401);
      const allowed = await fetch(`http://127.0.0.1:${port}/stats/buckets`, {
        headers: { authorization: `Bearer ${strongKey}` },
      });
      expect(allowed.status).toBe(200);
    } finally {
      await served.stop();
    }
  });
});
