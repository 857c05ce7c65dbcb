import { afterEach, describe, expect, it } from 'vitest';
import { createFileTokenStore } from '../src/auth/file-token-store.js';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw, rawRequestOf } from './support/raw-requests.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const messages = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');
const adminKey = 'admin-secret-key';
const asAdmin = { authorization: `Bearer ${adminKey}` };

async function pool(buckets: string[]): Promise<string> {
  harness = await createHarness();
  for (const bucket of buckets) await harness.addBucket('anthropic', bucket);
  await harness.writeProfile('pool', `type: model\nprovider: anthropic\nbuckets: [${buckets.join(', ')}]\n`);
  return (await harness.startRouter({ profile: 'pool', environment: { SWITCHYARD_ADMIN_KEY: adminKey } })).url;
}

/** A bucket whose stored refresh token the provider no longer knows (revoked elsewhere). */
async function revokedElsewhere(bucket: string): Promise<void> {
  const store = createFileTokenStore(harness!.paths, { encryption: { kind: 'none' } });
  await store.write('anthropic', bucket, {
    access_token: `access-unknown-${bucket}`,
    refresh_token: `refresh-unknown-${bucket}`,
    expires_at: Math.floor(harness!.clock.now() / 1000) - 10,
  });
}

describe('token routes', () => {
  it('refuse every token route without the admin key, and with a wrong one, with 401', async () => {
    const url = await pool(['a']);
    const routes: [string, string][] = [
      ['GET', '/auth/anthropic/status'],
      ['POST', '/auth/anthropic/refresh?bucket=a'],
      ['DELETE', '/auth/anthropic/revoke?bucket=a'],
      ['GET', '/auth/anthropic/health'],
      ['GET', '/auth/anthropic/stats'],
    ];
    for (const [method, path] of routes) {
      for (const headers of [{}, { authorization: 'Bearer not-the-admin-key' }, { 'x-api-key': 'not-the-admin-key' }]) {
        const answer = await fetch(`${url}${path}`, { method, headers });
        expect(answer.status, `${method} ${path}`).toBe(401);
        const body = (await answer.json()) as { error: { message: string } };
        expect(body.error.message).toBe(
          'This route needs the admin key (SWITCHYARD_ADMIN_KEY) as "Authorization: Bearer <key>".',
        );
      }
    }
    expect((await fetch(`${url}/auth/anthropic/health`, { headers: asAdmin })).status).toBe(200);
  });

  it('show per bucket: authenticated, expires_in, expires_at, scopes, refresh_count, auto_refresh; never a token', async () => {
    const url = await pool(['a']);
    const before = (await (await fetch(`${url}/auth/claude/status?bucket=a`, { headers: asAdmin })).json()) as {
      provider: string;
      buckets: Record<string, unknown>[];
    };
    const expiresAt = Math.floor(harness!.clock.now() / 1000) + 3_600;
    expect(before.provider).toBe('anthropic');
    expect(before.buckets).toEqual([
      expect.objectContaining({
        bucket: 'a',
        status: 'ok',
        authenticated: true,
        expires_in: 3_600,
        expires_at: expiresAt,
        scopes: [],
        refresh_count: 0,
        auto_refresh: true,
      }),
    ]);
    const refreshed = await fetch(`${url}/auth/anthropic/refresh?bucket=a`, { method: 'POST', headers: asAdmin });
    expect(refreshed.status).toBe(200);
    const after = (await (await fetch(`${url}/auth/anthropic/status`, { headers: asAdmin })).json()) as {
      buckets: Record<string, unknown>[];
    };
    expect(after.buckets[0]).toMatchObject({ refresh_count: 1, authenticated: true });
    expect(after.buckets[0]!.scopes).toContain('user:inference');
    const text = JSON.stringify(after);
    expect(text).not.toMatch(/sim-o[ar]t-/);
  });

  it('health: ok, degraded with the buckets that need a login, unavailable (503) when none can serve', async () => {
    const url = await pool(['a', 'b']);
    const health = async () => {
      const answer = await fetch(`${url}/auth/anthropic/health`, { headers: asAdmin });
      return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
    };
    expect(await health()).toEqual({
      status: 200,
      body: {
        provider: 'anthropic',
        status: 'ok',
        buckets: 2,
        authenticated: 2,
        needs_login: [],
        unreadable: [],
        expiring: [],
        auto_refresh: true,
      },
    });
    await revokedElsewhere('b');
    await harness!.router().proactiveRefresh.sweep();
    expect((await health()).body).toMatchObject({ status: 'degraded', authenticated: 1, needs_login: ['b'] });
    await revokedElsewhere('a');
    await harness!.router().proactiveRefresh.sweep();
    expect(await health()).toMatchObject({
      status: 503,
      body: { status: 'unavailable', authenticated: 0, needs_login: ['a', 'b'] },
    });
  });

  it('a refresh token refused by the provider (found by the proactive refresh) shows in auth status, stats buckets and /auth/{provider}/status', async () => {
    const url = await pool(['a']);
    await revokedElsewhere('a');
    const outcomes = await harness!.router().proactiveRefresh.sweep();
    expect(outcomes).toEqual([{ provider: 'anthropic', bucket: 'a', outcome: 'needs-login' }]);
    expect(harness!.simulator.allCounts().unknown?.invalidGrants).toBe(1);

    const status = (await (await fetch(`${url}/auth/anthropic/status?bucket=a`, { headers: asAdmin })).json()) as {
      buckets: Record<string, unknown>[];
    };
    expect(status.buckets[0]).toMatchObject({
      status: 'needs-login',
      reason: 'invalid_grant',
      authenticated: false,
      auto_refresh: false,
    });
    const stats = (await (await fetch(`${url}/stats/buckets`)).json()) as {
      buckets: { key: string; state: string; reason: string }[];
    };
    expect(stats.buckets.find((bucket) => bucket.key === 'anthropic/a')).toMatchObject({
      state: 'needs-login',
      reason: 'invalid_grant',
    });
    // Never sent again: another sweep and a request leave the simulator's count alone.
    await harness!.router().proactiveRefresh.sweep();
    await postRaw(url, messages.path, JSON.stringify(messages.body));
    expect(harness!.simulator.allCounts().unknown?.invalidGrants).toBe(1);
  });

  it('stats: active logins, logins expiring soon, refreshes and refresh failures per provider; never a token', async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'a');
    await harness.addBucket('anthropic', 'b');
    await harness.addBucket('anthropic', 'c', { expiresInSeconds: 60 });
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, b, c]\n');
    const url = (await harness.startRouter({ profile: 'pool', environment: { SWITCHYARD_ADMIN_KEY: adminKey } })).url;
    const stats = async (provider = 'anthropic') => {
      const answer = await fetch(`${url}/auth/${provider}/stats`, { headers: asAdmin });
      return { status: answer.status, text: await answer.text() };
    };
    const before = await stats('claude');
    expect(before.status).toBe(200);
    expect(JSON.parse(before.text)).toMatchObject({
      provider: 'anthropic',
      buckets: 3,
      active: 3,
      expiring_soon: 1,
      needs_login: 0,
      refreshes: 0,
      refresh_failures: 0,
      refresh_failures_by_reason: {},
    });

    await revokedElsewhere('b');
    expect((await fetch(`${url}/auth/anthropic/refresh?bucket=a`, { method: 'POST', headers: asAdmin })).status).toBe(
      200,
    );
    await harness.router().proactiveRefresh.sweep();
    const after = await stats();
    expect(JSON.parse(after.text)).toMatchObject({
      buckets: 3,
      active: 2,
      needs_login: 1,
      refreshes: 2,
      refresh_failures: 1,
      refresh_failures_by_reason: { invalid_grant: 1 },
    });
    expect(after.text).not.toMatch(/sim-o[ar]t-|access-unknown|refresh-unknown/);

    const unknown = await stats('nowhere');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error.message).toBe(
      'Unknown provider "nowhere": use anthropic, openai, codex, gemini or qwen.',
    );
  });
});
