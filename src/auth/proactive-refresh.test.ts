import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../core/manual-clock.js';
import type { ProviderName } from '../core/types.js';
import type { ProviderSettings } from '../providers/types.js';
import { createMemoryTokenStore } from './memory-token-store.js';
import type { NeedsLoginError } from './needs-login-error.js';
import { type ProactiveRefresh, type ProactiveRefreshOptions, startProactiveRefresh } from './proactive-refresh.js';
import { startTokenServer, type TokenServer } from './testing/token-server.js';
import type { OAuthTokenSet } from './token-file.js';
import { createTokenManager, type TokenManager } from './token-manager.js';
import type { TokenStore } from './token-store.js';

const start = Date.parse('2026-11-23T10:00:00.000Z');
const nowSeconds = start / 1000;

let server: TokenServer;
let clock: ManualClock;
let store: TokenStore;
let tokens: TokenManager;
let scheduler: ProactiveRefresh | undefined;

beforeEach(async () => {
  server = await startTokenServer();
  clock = new ManualClock(start);
  store = createMemoryTokenStore();
  tokens = createTokenManager({
    store,
    clock,
    environment: {},
    settings: (provider: ProviderName): ProviderSettings => ({
      baseUrl: 'http://127.0.0.1:9',
      oauth: {
        authorizeUrl: 'http://127.0.0.1:9/authorize',
        tokenUrl: server.url,
        clientId: `client-${provider}`,
        scopes: [],
        tokenRequestEncoding: 'form',
      },
    }),
    retry: { retries: 2, minTimeout: 0, maxTimeout: 0 },
    rereadIntervalMs: 0,
  });
});
afterEach(async () => {
  scheduler?.stop();
  scheduler = undefined;
  await server.close();
});

function expiringIn(seconds: number, name: string, extra: Partial<OAuthTokenSet> = {}): OAuthTokenSet {
  server.valid.add(`refresh-${name}`);
  return {
    access_token: `access-${name}`,
    refresh_token: `refresh-${name}`,
    expires_at: nowSeconds + seconds,
    ...extra,
  };
}

function schedule(options: Partial<ProactiveRefreshOptions> = {}): ProactiveRefresh {
  scheduler = startProactiveRefresh({
    tokens,
    providers: () => ['anthropic', 'codex'],
    clock,
    aheadSeconds: 300,
    random: () => 0,
    ...options,
  });
  return scheduler;
}

describe('proactive refresh', () => {
  it('refreshes only OAuth buckets inside the refresh-ahead window that can be refreshed', async () => {
    await store.write('anthropic', 'soon', expiringIn(200, 'soon'));
    await store.write('anthropic', 'later', expiringIn(3_000, 'later'));
    await store.write('anthropic', 'no-refresh', { access_token: 'access-x', expires_at: nowSeconds + 100 });
    await store.write(
      'codex',
      'marked',
      expiringIn(100, 'marked', { needs_login: { reason: 'invalid_grant', since: nowSeconds } }),
    );
    await store.write('codex', 'key', { type: 'api_key', env: 'SOME_KEY' });
    expect(await schedule().sweep()).toEqual([
      { provider: 'anthropic', bucket: 'soon', outcome: 'refreshed-or-current' },
    ]);
    expect(server.requests.map((request) => request.parameters.refresh_token)).toEqual(['refresh-soon']);
    expect(await store.read('anthropic', 'soon')).toMatchObject({
      access_token: 'access-issued-1',
      expires_at: nowSeconds + 3_600,
    });
    // Renewed: the next sweep leaves it alone.
    await scheduler!.sweep();
    expect(server.requests).toHaveLength(1);
  });

  it('waits a per-bucket jitter into the window, so processes sharing the store spread out', async () => {
    await store.write('anthropic', 'a', expiringIn(290, 'a'));
    schedule({ random: () => 1, jitterSeconds: 60 });
    expect(await scheduler!.sweep()).toEqual([]);
    clock.advance(49_000);
    expect(await scheduler!.sweep()).toEqual([]);
    clock.advance(1_000);
    expect(await scheduler!.sweep()).toEqual([{ provider: 'anthropic', bucket: 'a', outcome: 'refreshed-or-current' }]);
    expect(server.requests).toHaveLength(1);
  });

  it('marks a bucket whose refresh token is rejected as needing login, reports it, and never sends that token again', async () => {
    await store.write('codex', 'dead', {
      access_token: 'access-dead',
      refresh_token: 'refresh-dead',
      expires_at: nowSeconds + 100,
    });
    const needsLogin: [ProviderName, string, NeedsLoginError][] = [];
    schedule({ onNeedsLogin: (provider, bucket, error) => needsLogin.push([provider, bucket, error]) });
    expect(await scheduler!.sweep()).toEqual([{ provider: 'codex', bucket: 'dead', outcome: 'needs-login' }]);
    expect(needsLogin.map(([provider, bucket, error]) => [provider, bucket, error.detail])).toEqual([
      ['codex', 'dead', 'invalid_grant'],
    ]);
    expect(await store.read('codex', 'dead')).toMatchObject({ needs_login: { reason: 'invalid_grant' } });
    clock.advance(60_000);
    expect(await scheduler!.sweep()).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a failing endpoint a bounded number of times, then backs off while the token is still good', async () => {
    await store.write('anthropic', 'a', expiringIn(200, 'a'));
    server.queued.push(
      ...Array.from({ length: 3 }, () => ({ status: 503, body: { error: 'temporarily_unavailable' } })),
    );
    const errors: unknown[] = [];
    schedule({ onError: (_provider, _bucket, error) => errors.push(error) });
    expect(await scheduler!.sweep()).toEqual([{ provider: 'anthropic', bucket: 'a', outcome: 'failed' }]);
    expect(server.requests).toHaveLength(3); // one attempt and two retries
    expect(await store.read('anthropic', 'a')).toMatchObject({ access_token: 'access-a' });
    expect(await scheduler!.sweep()).toEqual([{ provider: 'anthropic', bucket: 'a', outcome: 'backing-off' }]);
    expect(server.requests).toHaveLength(3);
    clock.advance(31_000);
    await scheduler!.sweep();
    expect(server.requests).toHaveLength(4);
    expect(await store.read('anthropic', 'a')).toMatchObject({ access_token: 'access-issued-1' });
    expect(errors.map((error) => (error as Error).name)).toEqual(['RefreshFailedError']);
  });

  it('reports an expired token whose endpoint fails, with the error that says what failed', async () => {
    await store.write('anthropic', 'a', expiringIn(-10, 'a'));
    server.queued.push(...Array.from({ length: 3 }, () => ({ status: 503, body: {} })));
    const errors: string[] = [];
    schedule({ onError: (provider, bucket, error) => errors.push(`${provider}/${bucket}: ${(error as Error).name}`) });
    expect(await scheduler!.sweep()).toEqual([{ provider: 'anthropic', bucket: 'a', outcome: 'failed' }]);
    expect(errors).toEqual(['anthropic/a: RefreshFailedError']);
  });

  it('sweeps on its own every intervalMs until stopped', async () => {
    await store.write('anthropic', 'a', expiringIn(200, 'a'));
    schedule({ intervalMs: 5 });
    await vi.waitFor(() => expect(server.requests).toHaveLength(1), { timeout: 10_000 });
    scheduler!.stop();
    await store.write('anthropic', 'b', expiringIn(200, 'b'));
    // Many intervals later, nothing more was sent.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests).toHaveLength(1);
  });
});
