import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { type BucketAction, bucketActionDone } from '../core/bucket-actions.js';
import { isValidName } from '../core/names.js';
import { resolveProviderName } from '../core/provider-names.js';
import { type BucketKey, bucketKey, type ProviderName } from '../core/types.js';
import { effectiveState } from '../state/bucket-state-store.js';
import { requireAdminKey } from './client-auth.js';
import { HttpError } from './http-error.js';
import { knownBuckets } from './known-buckets.js';
import type { ServerContext } from './server-context.js';

const actions: readonly BucketAction[] = ['pause', 'resume', 'reset'];

/**
 * Manual control of a bucket, as `switchyard bucket pause|resume|reset` does it: stop sending to
 * it, send again, clear its rest (and what its answers said of its windows) by hand. Admin routes:
 * the admin key when one is set, as for /auth/*.
 */
export function bucketControlRoutes(server: ServerContext): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();

  for (const action of actions) {
    app.post(`/buckets/:provider/:bucket/${action}`, async (c) => {
      requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
      const key = await knownBucket(server, c.req.param('provider'), c.req.param('bucket'));
      await control(server, key, action);
      const state = effectiveState(server.states.get(key), server.clock.now());
      return c.json({
        bucket: key,
        action,
        message: bucketActionDone[action](key),
        paused: server.paused?.has(key) ?? false,
        state: state.status,
        availableAt:
          state.until !== undefined && state.status !== 'needs-login' ? new Date(state.until).toISOString() : null,
      });
    });
  }

  return app;
}

async function control(server: ServerContext, key: BucketKey, action: BucketAction): Promise<void> {
  const paused = server.paused;
  if (action === 'reset') {
    server.states.clear(key);
    server.quota?.clear(key);
    return;
  }
  if (paused === undefined)
    throw new HttpError(501, 'This server keeps no paused buckets.', 'pause_unsupported', undefined);
  try {
    if (action === 'pause') await paused.pause(key);
    else await paused.resume(key);
  } catch (error) {
    throw new HttpError(
      503,
      `Could not ${action} ${key}: ${error instanceof Error ? error.message : String(error)}`,
      'bucket_control_failed',
      undefined,
      {},
      { cause: error },
    );
  }
}

/** The bucket a route names, when switchyard knows it (tokens, statistics, state, or a loaded profile). */
async function knownBucket(server: ServerContext, providerText: string, bucket: string): Promise<BucketKey> {
  const provider: ProviderName | undefined = resolveProviderName(providerText);
  if (provider === undefined)
    throw new HttpError(
      404,
      `Unknown provider "${providerText.slice(0, 40)}": use anthropic, openai, codex, gemini or qwen.`,
      'unknown_provider',
      undefined,
    );
  if (!isValidName(bucket))
    throw new HttpError(
      400,
      `Invalid bucket name "${bucket.slice(0, 80)}": use 1-64 of A-Z a-z 0-9 . _ @ + -.`,
      'invalid_bucket_name',
      undefined,
    );
  const key = bucketKey(provider, bucket);
  if (knownBuckets(server.statistics, server.states, server.profiles).has(key)) return key;
  if (server.paused?.has(key) || server.quota?.get(key) !== undefined) return key;
  const stored = await server.auth.status(provider, bucket).catch(() => []);
  if (stored.length > 0) return key;
  throw new HttpError(
    404,
    `No bucket ${key} is known here: no login or key, no statistics, and in no loaded profile.`,
    'unknown_bucket',
    undefined,
  );
}
