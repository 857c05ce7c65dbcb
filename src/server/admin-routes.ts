import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { assertBucketName, isValidName } from '../core/names.js';
import { resolveProviderName } from '../core/provider-names.js';
import type { BucketKey, ProviderName } from '../core/types.js';
import { writeActiveProfile } from '../profiles/index.js';
import { effectiveState } from '../state/bucket-state-store.js';
import { overageView, windowViews } from '../state/quota-summary.js';
import { emptyStatistics } from '../state/statistics.js';
import { requireAdminKey, requireClientKey } from './client-auth.js';
import { HttpError } from './http-error.js';
import type { ServerContext } from './server-context.js';

/**
 * switchyard's own routes (/health is in the route table): statistics, token administration, live profile switching.
 */
export function adminRoutes(server: ServerContext): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.get('/stats/buckets', async (c) => {
    const client = requireClientKey(server.clients, c.env.incoming.headers, undefined, undefined, server.adminKey);
    return c.json(await bucketStatistics(server, client?.profiles));
  });

  app.get('/auth/:provider/status', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const provider = providerParam(c.req.param('provider'));
    const bucket = bucketQuery(c.req.query('bucket'));
    return c.json({ provider, buckets: await server.auth.status(provider, bucket) });
  });

  app.post('/auth/:provider/refresh', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const provider = providerParam(c.req.param('provider'));
    const bucket = bucketQuery(c.req.query('bucket')) ?? 'default';
    const result = await server.auth.refresh(provider, bucket).catch((error: unknown) => {
      throw new HttpError(
        409,
        error instanceof Error ? error.message : String(error),
        'refresh_failed',
        undefined,
        {},
        { cause: error },
      );
    });
    return c.json({ provider, bucket, ...result });
  });

  app.delete('/auth/:provider/revoke', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const provider = providerParam(c.req.param('provider'));
    const bucket = bucketQuery(c.req.query('bucket')) ?? 'default';
    const removed = await server.auth.revoke(provider, bucket);
    if (!removed) throw new HttpError(404, `No stored tokens for ${provider}/${bucket}.`, 'unknown_bucket', undefined);
    // The CLI's words for `auth PROVIDER logout BUCKET`, for the dashboard to show.
    const message = `Logged out ${provider}/${bucket}: its stored tokens are removed.`;
    return c.json({ provider, bucket, revoked: true, message });
  });

  // `switchyard auth PROVIDER key BUCKET --env VAR` over HTTP: the name of a variable, never a key.
  app.post('/auth/:provider/key', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const provider = providerParam(c.req.param('provider'));
    const body = (await c.req.json().catch(() => null)) as { bucket?: unknown; env?: unknown } | null;
    const bucket = typeof body?.bucket === 'string' && body.bucket !== '' ? body.bucket : 'default';
    try {
      assertBucketName(bucket);
    } catch (error) {
      throw new HttpError(400, (error as Error).message, 'invalid_bucket_name', undefined);
    }
    const variable = typeof body?.env === 'string' ? body.env.trim() : undefined;
    const { variableSet } = await server.auth.addKeyBucket(provider, bucket, variable).catch((error: unknown) => {
      throw new HttpError(
        400,
        error instanceof Error ? error.message : String(error),
        'invalid_key_variable',
        undefined,
      );
    });
    const unset = variableSet ? '' : ` ($${variable} is not set where the server runs: set it there and restart.)`;
    return c.json({
      provider,
      bucket,
      env: variable,
      variableSet,
      message:
        `Bucket ${provider}/${bucket} reads its API key from $${variable} at run time; ` +
        `the key is never written to disk.${unset}`,
    });
  });

  app.get('/auth/:provider/health', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const health = await server.auth.health(providerParam(c.req.param('provider')));
    return c.json(health, health.status === 'unavailable' ? 503 : 200);
  });

  app.get('/auth/:provider/stats', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    return c.json(await server.auth.statistics(providerParam(c.req.param('provider'))), 200, {
      'cache-control': 'no-store',
    });
  });

  app.get('/profiles/active', (c) => {
    requireClientKey(server.clients, c.env.incoming.headers, undefined, undefined, server.adminKey);
    return c.json({ profile: server.profiles.current ?? null });
  });

  app.put('/profiles/active', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const body = (await c.req.json().catch(() => null)) as { profile?: unknown } | null;
    const name = body?.profile;
    if (typeof name !== 'string' || !isValidName(name)) {
      throw new HttpError(400, 'Send {"profile": NAME} with a valid profile name.', 'invalid_profile_name', undefined);
    }
    try {
      const chain = await server.profiles.activate(name);
      // Kept across a restart, as `switchyard profile load` keeps it (which writes it before asking here).
      if (server.paths !== undefined) await writeActiveProfile(server.paths, name);
      // Best effort: this instance has switched; the others follow when Redis can tell them.
      await server.announceProfile?.(name).catch(() => undefined);
      const buckets = chain.targets.map((target) => target.key);
      return c.json({ profile: name, buckets, message: `Loaded ${name}: ${buckets.join(' \u2192 ')}` });
    } catch (error) {
      const notFound = error instanceof Error && error.name === 'ProfileNotFoundError';
      throw new HttpError(
        notFound ? 404 : 400,
        error instanceof Error ? error.message : String(error),
        notFound ? 'unknown_profile' : 'invalid_profile',
        undefined,
      );
    }
  });

  return app;
}

/** The provider a route names (an alias too), or a 404 that lists them. */
export function providerParam(value: string): ProviderName {
  const provider = resolveProviderName(value);
  if (!provider)
    throw new HttpError(
      404,
      `Unknown provider "${value.slice(0, 40)}": use anthropic, openai, codex, gemini or qwen.`,
      'unknown_provider',
      undefined,
    );
  return provider;
}

function bucketQuery(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isValidName(value))
    throw new HttpError(
      400,
      `Invalid bucket name "${value.slice(0, 80)}": use 1-64 of A-Z a-z 0-9 . _ @ + -.`,
      'invalid_bucket_name',
      undefined,
    );
  return value;
}

/**
 * The statistics of every bucket seen or configured, with its current state. A client limited to
 * some profiles sees only their buckets (and the active profile's name only if it is one of them):
 * what the others use, and how much, is not its business.
 */
async function bucketStatistics(
  server: ServerContext,
  allowedProfiles: ReadonlySet<string> | undefined,
): Promise<{ generatedAt: string; profile: string | null; buckets: unknown[] }> {
  await server.statistics.synchronize?.();
  const now = server.clock.now();
  const snapshot = server.statistics.snapshot();
  const active = server.profiles.current;
  const keys = new Set<BucketKey>();
  if (allowedProfiles === undefined) {
    for (const key of Object.keys(snapshot) as BucketKey[]) keys.add(key);
    for (const [key] of server.states.entries()) keys.add(key);
    for (const [key] of server.quota?.entries() ?? []) keys.add(key);
    for (const key of server.paused?.keys() ?? []) keys.add(key);
    if (active !== undefined) for (const key of await chainKeys(server, active)) keys.add(key);
  } else {
    for (const profile of allowedProfiles) for (const key of await chainKeys(server, profile)) keys.add(key);
  }
  const buckets = [...keys].map((key) => {
    const state = effectiveState(server.states.get(key), now);
    const slash = key.indexOf('/');
    return {
      key,
      provider: key.slice(0, slash),
      bucket: key.slice(slash + 1),
      ...(snapshot[key] ?? emptyStatistics()),
      state: state.status,
      availableAt:
        state.until !== undefined && state.status !== 'needs-login' ? new Date(state.until).toISOString() : null,
      reason: state.reason ?? null,
      paused: server.paused?.has(key) ?? false,
      windows: windowViews(server.quota?.get(key), now),
      overage: overageView(server.quota?.get(key)),
    };
  });
  const profile = active !== undefined && (allowedProfiles?.has(active) ?? true) ? active : null;
  return { generatedAt: new Date(now).toISOString(), profile, buckets };
}

/** The buckets a profile routes to (none when it does not load). */
async function chainKeys(server: ServerContext, profile: string): Promise<BucketKey[]> {
  const chain = await server.profiles.chain(profile).catch(() => undefined);
  return (chain?.targets ?? []).map((target) => target.key);
}
