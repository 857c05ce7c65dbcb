import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisConnection } from '../../src/state/cluster/redis-connection.js';
import { freePort } from './free-port.js';

/** The shared Redis every engineer's tests use; each test keeps to its own random prefix. */
export const sharedRedisUrl = process.env.SWITCHYARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A prefix no other test run uses, e.g. `sytest-3f9a1c0d:`. */
export function randomPrefix(): string {
  return `sytest-${randomBytes(5).toString('hex')}:`;
}

/** Deletes every key of a prefix, bottleneck's `b_<prefix>…` keys included. Never FLUSHALL. */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    for (const pattern of [`${prefix}*`, `b_${prefix}*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await client.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    client.disconnect();
  }
}

/** A connection for one test, started; logs go to `lines`. */
export async function openConnection(url: string, prefix: string, lines: string[] = []): Promise<RedisConnection> {
  const connection = new RedisConnection({ url, prefix, log: (line) => lines.push(line), connectTimeoutMs: 2_000 });
  await connection.start();
  return connection;
}

/** Polls `check` until it holds (pub/sub and batches arrive asynchronously); fails after `timeoutMs`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'the condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A redis-server of the test's own, on a free port in a temporary directory, that it may stop and start. */
export interface PrivateRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const directory = await mkdtemp(join(tmpdir(), 'switchyard-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    // Saved on stop (SHUTDOWN SAVE) and loaded on start: state written before an outage survives it.
    child = spawn(
      '/usr/bin/redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        directory,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--daemonize',
        'no',
      ],
      {
        stdio: 'ignore',
      },
    );
    const client = new Redis(port, '127.0.0.1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    await eventually(
      async () => {
        try {
          await client.connect();
          return (await client.ping()) === 'PONG';
        } catch {
          client.disconnect();
          return false;
        }
      },
      10_000,
      'the private redis-server to answer',
    );
    client.disconnect();
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async close() {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
