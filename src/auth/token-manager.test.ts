import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolvePaths, type SwitchyardPaths, tokenFilePath } from '../config/paths.js';
import { ManualClock } from '../core/manual-clock.js';
import type { ProviderName } from '../core/types.js';
import type { ProviderSettings } from '../providers/types.js';
import { createFileTokenStore } from './file-token-store.js';
import { createMemoryTokenStore } from './memory-token-store.js';
import { NeedsLoginError } from './needs-login-error.js';
import { RefreshFailedError } from './refresh-failed-error.js';
import { startTokenServer, type TokenServer, type TokenServerOptions } from './testing/token-server.js';
import type { OAuthTokenSet, StoredCredential } from './token-file.js';
import { createTokenManager, type TokenManagerOptions } from './token-manager.js';
import type { TokenStore } from './token-store.js';

const start = Date.parse('2026-11-23T10:00:00.000Z');
const nowSeconds = start / 1000;
const accessToken = 'sk-ant-oat01-secret-access-0';
const refreshToken = 'sk-ant-ort01-secret-refresh-0';

let home: string;
let paths: SwitchyardPaths;
let clock: ManualClock;
let server: TokenServer;
/** Every token value a test handed out or received: none may appear in an error message. */
const secrets = new Set<string>();

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'switchyard-tokens-'));
  paths = resolvePaths({ SWITCHYARD_HOME: home });
  clock = new ManualClock(start);
  secrets.clear();
  secrets.add(accessToken).add(refreshToken);
});
afterEach(async () => {
  await server?.close();
  await rm(home, { recursive: true, force: true });
});

async function serve(options: TokenServerOptions = {}): Promise<TokenServer> {
  server = await startTokenServer(options);
  server.valid.add(refreshToken);
  return server;
}

function settingsFor(tokenUrl: string) {
  return (provider: ProviderName): ProviderSettings => ({
    baseUrl: 'http://127.0.0.1:9',
    oauth: {
      authorizeUrl: 'http://127.0.0.1:9/authorize',
      tokenUrl,
      clientId: `client-${provider}`,
      scopes: [],
      tokenRequestEncoding: provider === 'anthropic' ? 'json' : 'form',
      ...(provider === 'gemini' ? { clientSecret: 'installed-app-secret' } : {}),
    },
  });
}

function manager(store: TokenStore, overrides: Partial<TokenManagerOptions> = {}) {
  return createTokenManager({
    store,
    settings: settingsFor(server.url),
    clock,
    environment: {},
    retry: { retries: 2, minTimeout: 0, maxTimeout: 0 },
    ...overrides,
  });
}

function tokensExpiringIn(seconds: number, extra: Partial<OAuthTokenSet> = {}): OAuthTokenSet {
  return { access_token: accessToken, refresh_token: refreshToken, expires_at: nowSeconds + seconds, ...extra };
}

async function seeded(
  provider: ProviderName,
  bucket: string,
  tokens: StoredCredential,
  store: TokenStore = createFileTokenStore(paths),
) {
  await store.write(provider, bucket, tokens);
  return store;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (caught: unknown) => caught as Error,
  );
  expectNoSecrets(error);
  return error;
}

function expectNoSecrets(error: unknown): void {
  for (let current = error; current instanceof Error; current = current.cause) {
    for (const secret of secrets) expect(current.message).not.toContain(secret);
  }
}

describe('getCredential', () => {
  it('answers from memory without a token request while the token is fresh', async () => {
    await serve();
    const tokens = manager(await seeded('anthropic', 'work1', tokensExpiringIn(3600, { account_id: 'acct' })));
    expect(await tokens.getCredential('anthropic', 'work1')).toEqual({ kind: 'oauth', accessToken, accountId: 'acct' });
    expect(await tokens.getCredential('anthropic', 'work1')).toEqual({ kind: 'oauth', accessToken, accountId: 'acct' });
    expect(server.requests).toHaveLength(0);
  });

  it('refreshes before expiry, once for many concurrent callers, and persists the rotated set', async () => {
    await serve();
    const store = await seeded('anthropic', 'work1', tokensExpiringIn(100));
    const tokens = manager(store);
    const credentials = await Promise.all(Array.from({ length: 20 }, () => tokens.getCredential('anthropic', 'work1')));
    expect(
      new Set(credentials.map((credential) => (credential.kind === 'oauth' ? credential.accessToken : ''))),
    ).toEqual(new Set(['access-issued-1']));
    expect(server.requests).toHaveLength(1);
    expect(await store.read('anthropic', 'work1')).toEqual({
      access_token: 'access-issued-1',
      refresh_token: 'refresh-issued-1',
      expires_at: nowSeconds + 3600,
      token_type: 'Bearer',
    });
    // The lock directory beside the token file is gone once the refresh is done.
    expect(await readdir(join(paths.oauth, 'anthropic'))).toEqual(['work1.json']);
  });

  it('honours refreshAheadSeconds', async () => {
    await serve();
    const tokens = manager(await seeded('anthropic', 'work1', tokensExpiringIn(100)), { refreshAheadSeconds: 60 });
    expect(await tokens.getCredential('anthropic', 'work1')).toMatchObject({ accessToken });
    clock.advance(41_000);
    expect(await tokens.getCredential('anthropic', 'work1')).toMatchObject({ accessToken: 'access-issued-1' });
  });

  it('says how to log in when a bucket has no file', async () => {
    await serve();
    const error = await failure(manager(createFileTokenStore(paths)).getCredential('anthropic', 'work1'));
    expect(error).toBeInstanceOf(NeedsLoginError);
    expect(error.message).toContain('run: switchyard auth anthropic login work1');
  });

  it('needs a login when the token expired and there is no refresh token', async () => {
    await serve();
    const store = await seeded('qwen', 'q', { access_token: accessToken, expires_at: nowSeconds - 1 });
    const error = await failure(manager(store).getCredential('qwen', 'q'));
    expect(error).toMatchObject({ name: 'NeedsLoginError', reason: 'no-refresh-token' });
    expect(error.message).toContain('run: switchyard auth qwen login q');
    expect(server.requests).toHaveLength(0);
  });

  it('picks up a token written by another process within the re-read interval', async () => {
    await serve();
    const store = await seeded('anthropic', 'work1', tokensExpiringIn(3600));
    const tokens = manager(store);
    await tokens.getCredential('anthropic', 'work1');
    await createFileTokenStore(paths).write('anthropic', 'work1', { access_token: 'access-imported' });
    expect(await tokens.getCredential('anthropic', 'work1')).toMatchObject({ accessToken });
    clock.advance(2_000);
    await vi.waitFor(
      async () =>
        expect(await tokens.getCredential('anthropic', 'work1')).toMatchObject({ accessToken: 'access-imported' }),
      { timeout: 10_000 },
    );
  });
});

describe('readyCredential', () => {
  it('answers from memory once read, and leaves to getCredential what needs reading, refreshing or a login', async () => {
    await serve();
    const store = await seeded('anthropic', 'work1', tokensExpiringIn(3600));
    await store.write('openai', 'key', { type: 'api_key', env: 'MY_OPENAI_KEY' });
    await store.write('qwen', 'marked', {
      access_token: accessToken,
      needs_login: { reason: 'refresh-rejected', since: nowSeconds },
    });
    const environment: NodeJS.ProcessEnv = { MY_OPENAI_KEY: 'sk-secret-key' };
    const tokens = manager(store, { environment, refreshAheadSeconds: 60 });
    // Never read yet: only the promise path reads the store.
    expect(tokens.readyCredential('anthropic', 'work1')).toBeUndefined();
    await tokens.getCredential('anthropic', 'work1');
    expect(tokens.readyCredential('anthropic', 'work1')).toEqual({ kind: 'oauth', accessToken });
    await tokens.getCredential('openai', 'key');
    expect(tokens.readyCredential('openai', 'key')).toEqual({ kind: 'api-key', apiKey: 'sk-secret-key' });
    environment.MY_OPENAI_KEY = '';
    expect(tokens.readyCredential('openai', 'key')).toBeUndefined();
    await tokens.getCredential('qwen', 'marked').catch(() => undefined);
    expect(tokens.readyCredential('qwen', 'marked')).toBeUndefined();
    // Due for refresh: getCredential refreshes it.
    clock.advance(3_550_000);
    expect(tokens.readyCredential('anthropic', 'work1')).toBeUndefined();
    expect(server.requests).toHaveLength(0);
  });
});

describe('API-key buckets', () => {
  it('reads the key from the environment at run time', async () => {
    await serve();
    const store = await seeded('openai', 'key', { type: 'api_key', env: 'MY_OPENAI_KEY' });
    const tokens = manager(store, { environment: { MY_OPENAI_KEY: 'sk-secret-key' } });
    expect(await tokens.getCredential('openai', 'key')).toEqual({ kind: 'api-key', apiKey: 'sk-secret-key' });
    expect(await readFile(tokenFilePath(paths, 'openai', 'key'), 'utf8')).not.toContain('sk-secret-key');
  });

  it('names the missing variable and the command that fixes it', async () => {
    await serve();
    const store = createMemoryTokenStore([['openai', 'key', { type: 'api_key', env: 'MY_OPENAI_KEY' }]]);
    const error = await failure(
      manager(store, { environment: { MY_OPENAI_KEY: '  ' } }).getCredential('openai', 'key'),
    );
    expect(error).toMatchObject({ name: 'NeedsLoginError', reason: 'missing-key', variable: 'MY_OPENAI_KEY' });
    expect(error.message).toContain('MY_OPENAI_KEY, which is not set');
    expect(error.message).toContain('switchyard auth openai key key --env');
  });
});

describe('refreshAfterUnauthorized', () => {
  it('sends exactly one token request for 50 concurrent callers', async () => {
    await serve();
    const tokens = manager(await seeded('codex', 'team', tokensExpiringIn(3600)));
    await tokens.getCredential('codex', 'team');
    const credentials = await Promise.all(
      Array.from({ length: 50 }, () => tokens.refreshAfterUnauthorized('codex', 'team', accessToken)),
    );
    expect(server.requests).toHaveLength(1);
    expect(
      credentials.every((credential) => credential.kind === 'oauth' && credential.accessToken === 'access-issued-1'),
    ).toBe(true);
  });

  it('returns the stored token without refreshing when someone else already refreshed', async () => {
    await serve();
    const store = await seeded('codex', 'team', tokensExpiringIn(3600));
    const tokens = manager(store);
    await tokens.getCredential('codex', 'team');
    await store.write('codex', 'team', { access_token: 'access-newer', refresh_token: 'refresh-newer' });
    expect(await tokens.refreshAfterUnauthorized('codex', 'team', accessToken)).toMatchObject({
      accessToken: 'access-newer',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('refreshes once across two managers sharing a store directory (two processes)', async () => {
    await serve();
    await seeded('codex', 'team', tokensExpiringIn(3600));
    const first = manager(createFileTokenStore(paths));
    const second = manager(createFileTokenStore(paths));
    await Promise.all([first.getCredential('codex', 'team'), second.getCredential('codex', 'team')]);
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => first.refreshAfterUnauthorized('codex', 'team', accessToken)),
      ...Array.from({ length: 5 }, () => second.refreshAfterUnauthorized('codex', 'team', accessToken)),
    ]);
    expect(server.requests).toHaveLength(1);
    expect(new Set(results.map((credential) => (credential.kind === 'oauth' ? credential.accessToken : '')))).toEqual(
      new Set(['access-issued-1']),
    );
  });

  it('refreshes an expiring token once across two managers (proactive refresh under the lock)', async () => {
    await serve();
    await seeded('anthropic', 'work1', tokensExpiringIn(10));
    const first = manager(createFileTokenStore(paths));
    const second = manager(createFileTokenStore(paths));
    const results = await Promise.all([
      first.getCredential('anthropic', 'work1'),
      second.getCredential('anthropic', 'work1'),
    ]);
    expect(server.requests).toHaveLength(1);
    expect(results).toEqual([
      { kind: 'oauth', accessToken: 'access-issued-1' },
      { kind: 'oauth', accessToken: 'access-issued-1' },
    ]);
  });

  it('adopts a set written behind the lock during the refresh instead of overwriting it', async () => {
    await serve();
    const store = await seeded('anthropic', 'work1', tokensExpiringIn(3600));
    const importing: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      await createFileTokenStore(paths).write('anthropic', 'work1', {
        access_token: 'access-imported',
        refresh_token: 'refresh-imported',
      });
      return response;
    };
    const tokens = manager(store, { fetch: importing });
    expect(await tokens.refreshAfterUnauthorized('anthropic', 'work1', accessToken)).toMatchObject({
      accessToken: 'access-imported',
    });
    expect(await store.read('anthropic', 'work1')).toEqual({
      access_token: 'access-imported',
      refresh_token: 'refresh-imported',
    });
  });

  it('keeps the old refresh token when the answer carries none', async () => {
    await serve({ rotate: false });
    const store = await seeded(
      'anthropic',
      'work1',
      tokensExpiringIn(3600, { scope: 'user:inference', account_id: 'acct', project: 'p' }),
    );
    await manager(store).refreshAfterUnauthorized('anthropic', 'work1', accessToken);
    expect(await store.read('anthropic', 'work1')).toEqual({
      access_token: 'access-issued-1',
      refresh_token: refreshToken,
      expires_at: nowSeconds + 3600,
      scope: 'user:inference',
      token_type: 'Bearer',
      account_id: 'acct',
      project: 'p',
    });
  });

  it('reads the codex account id from the id_token claim', async () => {
    const claims = { 'https://api.openai.com/auth': { chatgpt_account_id: 'acct-from-jwt' } };
    const idToken = `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;
    await serve({ extra: { id_token: idToken } });
    const store = await seeded('codex', 'team', tokensExpiringIn(3600, { account_id: 'acct-old' }));
    expect(await manager(store).refreshAfterUnauthorized('codex', 'team', accessToken)).toEqual({
      kind: 'oauth',
      accessToken: 'access-issued-1',
      accountId: 'acct-from-jwt',
    });
  });

  it('needs a login when there is no refresh token', async () => {
    await serve();
    const store = await seeded('anthropic', 'work1', { access_token: accessToken });
    const error = await failure(manager(store).refreshAfterUnauthorized('anthropic', 'work1', accessToken));
    expect(error).toMatchObject({ name: 'NeedsLoginError', reason: 'no-refresh-token' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('a rejected refresh token', () => {
  it('persists needs_login and is never sent again, across restarts too', async () => {
    await serve();
    server.valid.clear();
    const store = await seeded('anthropic', 'work1', tokensExpiringIn(-10));
    const tokens = manager(store);
    const error = await failure(tokens.getCredential('anthropic', 'work1'));
    expect(error).toMatchObject({ name: 'NeedsLoginError', reason: 'refresh-rejected', detail: 'invalid_grant' });
    expect(error.message).toContain('run: switchyard auth anthropic login work1');
    expect(server.requests).toHaveLength(1);
    expect(await store.read('anthropic', 'work1')).toMatchObject({
      refresh_token: refreshToken,
      needs_login: { reason: 'invalid_grant', since: nowSeconds },
    });

    await failure(tokens.getCredential('anthropic', 'work1'));
    await failure(tokens.refreshAfterUnauthorized('anthropic', 'work1', accessToken));
    const restarted = manager(createFileTokenStore(paths));
    expect(await failure(restarted.getCredential('anthropic', 'work1'))).toMatchObject({
      name: 'NeedsLoginError',
      reason: 'marked',
    });
    await failure(restarted.refreshAfterUnauthorized('anthropic', 'work1', accessToken));
    expect(server.requests).toHaveLength(1);
  });

  it('marks a second bucket holding the same rejected refresh token without sending it again', async () => {
    await serve();
    server.valid.clear();
    const store = await seeded('anthropic', 'first', tokensExpiringIn(-10));
    await store.write('anthropic', 'copy', tokensExpiringIn(-10));
    const tokens = manager(store);
    await failure(tokens.getCredential('anthropic', 'first'));
    expect(await failure(tokens.getCredential('anthropic', 'copy'))).toMatchObject({
      name: 'NeedsLoginError',
      reason: 'refresh-rejected',
      detail: 'invalid_grant',
    });
    expect(server.requests).toHaveLength(1);
    expect(await store.read('anthropic', 'copy')).toMatchObject({ needs_login: { reason: 'invalid_grant' } });
  });

  it('treats codex refresh_token_reused as rejected and does not retry it', async () => {
    await serve({
      rejection: { status: 401, body: { error: { code: 'refresh_token_reused', message: 'already used' } } },
    });
    server.valid.clear();
    const store = await seeded('codex', 'team', tokensExpiringIn(3600));
    const error = await failure(manager(store).refreshAfterUnauthorized('codex', 'team', accessToken));
    expect(error).toMatchObject({ name: 'NeedsLoginError', detail: 'refresh_token_reused' });
    expect(server.requests).toHaveLength(1);
  });

  it('is cleared by a new login or import', async () => {
    await serve();
    const store = await seeded('anthropic', 'work1', tokensExpiringIn(3600));
    const tokens = manager(store);
    await tokens.markNeedsLogin('anthropic', 'work1', 'unauthorized-after-refresh');
    expect(await failure(tokens.getCredential('anthropic', 'work1'))).toMatchObject({
      reason: 'marked',
      detail: 'unauthorized-after-refresh',
    });
    await store.write('anthropic', 'work1', { access_token: 'access-new-login' });
    clock.advance(2_000);
    await vi.waitFor(
      async () =>
        expect(await tokens.getCredential('anthropic', 'work1')).toMatchObject({ accessToken: 'access-new-login' }),
      { timeout: 10_000 },
    );
  });
});

describe('token requests', () => {
  it('posts JSON to anthropic and forms to the others', async () => {
    await serve();
    server.valid.add('refresh-codex').add('refresh-gemini');
    const store = createMemoryTokenStore([
      ['anthropic', 'a', tokensExpiringIn(3600)],
      ['codex', 'c', { ...tokensExpiringIn(3600), refresh_token: 'refresh-codex' }],
      ['gemini', 'g', { ...tokensExpiringIn(3600), refresh_token: 'refresh-gemini' }],
    ]);
    const tokens = manager(store);
    await tokens.refreshAfterUnauthorized('anthropic', 'a', accessToken);
    await tokens.refreshAfterUnauthorized('codex', 'c', accessToken);
    await tokens.refreshAfterUnauthorized('gemini', 'g', accessToken);
    expect(server.requests.map(({ contentType, raw }) => ({ contentType, raw }))).toMatchInlineSnapshot(`
      [
        {
          "contentType": "application/json",
          "raw": "{"grant_type":"refresh_token","refresh_token":"sk-ant-ort01-secret-refresh-0","client_id":"client-anthropic"}",
        },
        {
          "contentType": "application/x-www-form-urlencoded",
          "raw": "grant_type=refresh_token&refresh_token=refresh-codex&client_id=client-codex&scope=openid+profile+email",
        },
        {
          "contentType": "application/x-www-form-urlencoded",
          "raw": "grant_type=refresh_token&refresh_token=refresh-gemini&client_id=client-gemini&client_secret=installed-app-secret",
        },
      ]
    `);
  });

  it('retries 5xx answers a bounded number of times', async () => {
    await serve();
    server.queued.push({ status: 503, body: {} }, { status: 502, body: {} });
    const tokens = manager(await seeded('anthropic', 'work1', tokensExpiringIn(3600)));
    expect(await tokens.refreshAfterUnauthorized('anthropic', 'work1', accessToken)).toMatchObject({
      accessToken: 'access-issued-1',
    });
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after the retries with a RefreshFailedError that keeps the status', async () => {
    await serve();
    server.queued.push(...Array.from({ length: 5 }, () => ({ status: 500, body: { error: 'server_error' } })));
    const tokens = manager(await seeded('anthropic', 'work1', tokensExpiringIn(3600)));
    const error = await failure(tokens.refreshAfterUnauthorized('anthropic', 'work1', accessToken));
    expect(error).toBeInstanceOf(RefreshFailedError);
    expect(error).toMatchObject({ status: 500, errorCode: 'server_error', isRetryable: true });
    expect(error.message).toContain(`POST ${server.url} answered 500 (server_error)`);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry other 4xx answers', async () => {
    await serve();
    server.queued.push({ status: 400, body: { error: 'invalid_client', error_description: 'unknown client' } });
    const tokens = manager(await seeded('anthropic', 'work1', tokensExpiringIn(3600)));
    const error = await failure(tokens.refreshAfterUnauthorized('anthropic', 'work1', accessToken));
    expect(error).toMatchObject({
      name: 'RefreshFailedError',
      status: 400,
      errorCode: 'invalid_client',
      isRetryable: false,
    });
    expect(error.message).toContain('providers.anthropic.tokenUrl');
    expect(server.requests).toHaveLength(1);
  });

  it('reports an unreachable endpoint with its cause, and never a token', async () => {
    await serve();
    const closed = server.url;
    await server.close();
    const store = await seeded('anthropic', 'work1', tokensExpiringIn(-5));
    const error = await failure(manager(store, { settings: settingsFor(closed) }).getCredential('anthropic', 'work1'));
    expect(error).toBeInstanceOf(RefreshFailedError);
    expect(error).toMatchObject({ status: undefined, isRetryable: true });
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toContain(`POST ${closed} could not reach it`);
  });

  it('says where to configure a token endpoint when the provider has none', async () => {
    await serve();
    const store = createMemoryTokenStore([['openai', 'o', tokensExpiringIn(3600)]]);
    const tokens = manager(store, { settings: () => ({ baseUrl: 'http://127.0.0.1:9' }) });
    const error = await failure(tokens.refreshAfterUnauthorized('openai', 'o', accessToken));
    expect(error).toMatchObject({ name: 'RefreshFailedError', errorCode: 'no_token_url', isRetryable: false });
    expect(error.message).toContain('set providers.openai.tokenUrl in config.yaml');
  });

  it('keeps serving a still-valid token when the proactive refresh fails, and backs off', async () => {
    await serve();
    server.queued.push(...Array.from({ length: 3 }, () => ({ status: 503, body: {} })));
    const tokens = manager(await seeded('anthropic', 'work1', tokensExpiringIn(100)));
    expect(await tokens.getCredential('anthropic', 'work1')).toMatchObject({ accessToken });
    expect(await tokens.getCredential('anthropic', 'work1')).toMatchObject({ accessToken });
    expect(server.requests).toHaveLength(3);
    clock.advance(30_000);
    expect(await tokens.getCredential('anthropic', 'work1')).toMatchObject({ accessToken: 'access-issued-1' });
    expect(server.requests).toHaveLength(4);
  });
});

describe('statistics and status', () => {
  it('tells listeners about each successful refresh', async () => {
    await serve();
    const tokens = manager(await seeded('anthropic', 'work1', tokensExpiringIn(3600)));
    const seen: string[] = [];
    tokens.onRefresh((provider, bucket) => seen.push(`${provider}/${bucket}`));
    await tokens.refreshAfterUnauthorized('anthropic', 'work1', accessToken);
    await tokens.refreshAfterUnauthorized('anthropic', 'work1', accessToken);
    await tokens.refreshAfterUnauthorized('anthropic', 'work1', 'access-issued-1');
    expect(seen).toEqual(['anthropic/work1', 'anthropic/work1']);
  });

  it('describes every bucket without revealing a token', async () => {
    await serve();
    const store = createFileTokenStore(paths);
    await store.write('anthropic', 'fresh', tokensExpiringIn(3600, { scope: 'user:inference' }));
    await store.write('anthropic', 'old', { access_token: accessToken, expires_at: nowSeconds - 1 });
    await store.write(
      'anthropic',
      'dead',
      tokensExpiringIn(3600, { needs_login: { reason: 'invalid_grant', since: nowSeconds } }),
    );
    await store.write('anthropic', 'key', { type: 'api_key', env: 'ANTHROPIC_API_KEY' });
    const statuses = await manager(store).describe('anthropic');
    expect(statuses).toEqual([
      {
        bucket: 'dead',
        kind: 'oauth',
        status: 'needs-login',
        expiresAt: nowSeconds + 3600,
        hasRefreshToken: true,
        reason: 'invalid_grant',
      },
      {
        bucket: 'fresh',
        kind: 'oauth',
        status: 'ok',
        expiresAt: nowSeconds + 3600,
        hasRefreshToken: true,
        scope: 'user:inference',
      },
      { bucket: 'key', kind: 'api-key', status: 'missing-key', hasRefreshToken: false, env: 'ANTHROPIC_API_KEY' },
      { bucket: 'old', kind: 'oauth', status: 'expired', expiresAt: nowSeconds - 1, hasRefreshToken: false },
    ]);
    const text = JSON.stringify(statuses);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
