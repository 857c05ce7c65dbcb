import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileTokenStore } from '../../src/auth/file-token-store.js';
import { createMemoryTokenStore } from '../../src/auth/memory-token-store.js';
import { createInProcessRefreshLock } from '../../src/auth/refresh-lock.js';
import { TokenDecryptionError } from '../../src/auth/token-decryption-error.js';
import { parseTokenKey } from '../../src/auth/token-key.js';
import type { TokenStore } from '../../src/auth/token-store.js';
import { resolvePaths } from '../../src/config/paths.js';
import { InvalidNameError } from '../../src/core/names.js';
import { RedisConnection } from '../../src/state/cluster/redis-connection.js';
import { RedisTokenStore, RedisUnavailableError } from '../../src/state/cluster/redis-token-store.js';
import { deletePrefix, openConnection, randomPrefix, sharedRedisUrl } from '../support/redis.js';

interface Opened {
  store: TokenStore;
  /** Another handle on the same tokens (another process, another instance). */
  other(): Promise<TokenStore>;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function memory(): Promise<Opened> {
  const store = createMemoryTokenStore();
  return { store, other: async () => store, close: async () => undefined };
}

async function file(): Promise<Opened> {
  const home = await mkdtemp(join(tmpdir(), 'switchyard-tokens-'));
  const paths = resolvePaths({ SWITCHYARD_HOME: home });
  return {
    store: createFileTokenStore(paths),
    other: async () => createFileTokenStore(paths),
    close: () => rm(home, { recursive: true, force: true }),
  };
}

async function redis(): Promise<Opened> {
  const prefix = randomPrefix();
  const connections: RedisConnection[] = [];
  const open = async () => {
    const connection = await openConnection(sharedRedisUrl, prefix);
    connections.push(connection);
    return new RedisTokenStore({ connection, fallbackLock: createInProcessRefreshLock(), fallBackToMemory: true });
  };
  return {
    store: await open(),
    other: open,
    async close() {
      for (const connection of connections) await connection.close();
      await deletePrefix(sharedRedisUrl, prefix);
    },
  };
}

const tokens = { access_token: 'access-1', refresh_token: 'refresh-1', expires_at: 1_900_000_000, account_id: 'acct' };

describe.each([
  ['memory', memory],
  ['file', file],
  ['Redis', redis],
])('token store: %s', (_name, open) => {
  it('reads a missing bucket as null and what was written as written, from any handle', async () => {
    const opened = await open();
    cleanups.push(opened.close);
    expect(await opened.store.read('gemini', 'nobody')).toBeNull();
    await opened.store.write('anthropic', 'work1@company.com', tokens);
    await opened.store.write('openai', 'key', { type: 'api_key', env: 'OPENAI_API_KEY' });
    const other = await opened.other();
    expect(await other.read('anthropic', 'work1@company.com')).toEqual(tokens);
    expect(await other.read('openai', 'key')).toEqual({ type: 'api_key', env: 'OPENAI_API_KEY' });
  });

  it('hands out copies: changing what was read changes nothing stored', async () => {
    const opened = await open();
    cleanups.push(opened.close);
    await opened.store.write('codex', 'a', tokens);
    const read = await opened.store.read('codex', 'a');
    (read as { access_token: string }).access_token = 'changed';
    expect(await opened.store.read('codex', 'a')).toEqual(tokens);
  });

  it('lists buckets sorted per provider and deletes one, saying whether it existed', async () => {
    const opened = await open();
    cleanups.push(opened.close);
    await opened.store.write('anthropic', 'b', tokens);
    await opened.store.write('anthropic', 'a', tokens);
    await opened.store.write('qwen', 'c', tokens);
    expect(await opened.store.list('anthropic')).toEqual(['a', 'b']);
    expect(await opened.store.list('openai')).toEqual([]);
    expect(await opened.store.delete('anthropic', 'a')).toBe(true);
    expect(await opened.store.delete('anthropic', 'a')).toBe(false);
    expect(await (await opened.other()).read('anthropic', 'a')).toBeNull();
    expect(await (await opened.other()).list('anthropic')).toEqual(['b']);
  });

  it('refuses path-like bucket names', async () => {
    const opened = await open();
    cleanups.push(opened.close);
    for (const name of ['../escape', '..', 'a/b', '', 'x'.repeat(65)]) {
      await expect(opened.store.write('anthropic', name, tokens)).rejects.toBeInstanceOf(InvalidNameError);
      await expect(opened.store.read('anthropic', name)).rejects.toBeInstanceOf(InvalidNameError);
    }
  });

  it('offers a refresh lock', async () => {
    const opened = await open();
    cleanups.push(opened.close);
    expect(await opened.store.refreshLock?.withLock('anthropic', 'a', async () => 'held')).toBe('held');
  });
});

describe('token store: Redis keys and outages', () => {
  it('keeps tokens under the prefix, in the value only: the key names provider and bucket, never a secret', async () => {
    const prefix = randomPrefix();
    const connection = await openConnection(sharedRedisUrl, prefix);
    try {
      const store = new RedisTokenStore({
        connection,
        fallbackLock: createInProcessRefreshLock(),
        fallBackToMemory: true,
      });
      await store.write('anthropic', 'work1@company.com', tokens);
      const keys = (await connection.client.keys(`${prefix}*`)).sort();
      expect(keys).toEqual([`${prefix}token:anthropic:work1@company.com`, `${prefix}tokens:anthropic`]);
      for (const key of keys) expect(key).not.toMatch(/access-1|refresh-1/);
    } finally {
      await connection.close();
      await deletePrefix(sharedRedisUrl, prefix);
    }
  });

  it('encrypts tokens in Redis when a token key is set, and names the key a reader lacks', async () => {
    const prefix = randomPrefix();
    const connection = await openConnection(sharedRedisUrl, prefix);
    try {
      const key = parseTokenKey(randomBytes(32).toString('base64'));
      const store = new RedisTokenStore({
        connection,
        fallbackLock: createInProcessRefreshLock(),
        fallBackToMemory: true,
        encryption: key,
      });
      await store.write('codex', 'team', tokens);
      const raw = (await connection.client.get(`${prefix}token:codex:team`)) ?? '';
      expect(JSON.parse(raw)).toMatchObject({ switchyard_encrypted: 1, cipher: 'aes-256-gcm' });
      expect(raw).not.toContain('access-1');
      expect(raw).not.toContain('refresh-1');
      const sameKey = new RedisTokenStore({
        connection,
        fallbackLock: createInProcessRefreshLock(),
        fallBackToMemory: true,
        encryption: key,
      });
      expect(await sameKey.read('codex', 'team')).toEqual(tokens);
      const noKey = new RedisTokenStore({
        connection,
        fallbackLock: createInProcessRefreshLock(),
        fallBackToMemory: true,
        encryption: { kind: 'none' },
      });
      const error = await noKey.read('codex', 'team').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TokenDecryptionError);
      expect((error as Error).message).toContain(`Redis key ${prefix}token:codex:team`);
    } finally {
      await connection.close();
      await deletePrefix(sharedRedisUrl, prefix);
    }
  });

  it('refuses to store with a clear error when Redis cannot be reached and the caller cannot keep it (the CLI)', async () => {
    const connection = new RedisConnection({
      url: 'redis://127.0.0.1:1',
      prefix: randomPrefix(),
      log: () => undefined,
      connectTimeoutMs: 200,
    });
    await connection.start();
    try {
      const store = new RedisTokenStore({
        connection,
        fallbackLock: createInProcessRefreshLock(),
        fallBackToMemory: false,
      });
      const error = await store.write('anthropic', 'a', tokens).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect((error as Error).message).toBe(
        'Redis at redis://127.0.0.1:1 is not reachable, so tokens cannot be ' +
          'stored. Start Redis or check SWITCHYARD_REDIS_URL, then try again.',
      );
      await expect(store.read('anthropic', 'a')).rejects.toThrow('so tokens cannot be read');
    } finally {
      await connection.close();
    }
  });
});
