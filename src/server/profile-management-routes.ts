import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { loadSettings, setDefaultProfile } from '../config/load-settings.js';
import type { SwitchyardPaths } from '../config/paths.js';
import { assertProfileName } from '../core/names.js';
import { requireProviderName } from '../core/provider-names.js';
import { listProfiles, readActiveProfile, resolveChain, saveModelProfile } from '../profiles/index.js';
import { requireAdminKey } from './client-auth.js';
import { HttpError } from './http-error.js';
import { messageOf, refusedAs } from './profile-editing-routes.js';
import type { ServerContext } from './server-context.js';

interface NewProfile {
  name?: unknown;
  provider?: unknown;
  model?: unknown;
  buckets?: unknown;
}

/**
 * The dashboard's `switchyard profile list | save model | set-default`: the same library calls,
 * so the same checks and messages. Loading one is `PUT /profiles/active` (admin-routes).
 */
export function profileManagementRoutes(server: ServerContext): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.get('/profiles', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const paths = homeOf(server);
    const entries = await listProfiles(server.profiles.profileLocations);
    const configured = (await loadSettings(paths).catch(() => undefined))?.defaultProfile ?? null;
    const saved = (await readActiveProfile(paths).catch(() => undefined)) ?? null;
    return c.json(
      {
        active: server.profiles.current ?? null,
        saved,
        default: configured,
        profiles: entries.map((entry) => ({
          name: entry.name,
          source: entry.source,
          type: entry.profile?.type ?? null,
          error: entry.error ?? null,
        })),
      },
      200,
      { 'cache-control': 'no-store' },
    );
  });

  // `profile save model NAME BUCKET... --provider P [--model M]`, refusing to overwrite: edit is PATCH.
  app.post('/profiles', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const body = (await c.req.json().catch(() => null)) as NewProfile | null;
    const name = refusedAs(400, 'invalid_profile_name', () => assertProfileName(stringOf(body?.name)));
    const provider = refusedAs(400, 'invalid_provider', () => requireProviderName(stringOf(body?.provider)));
    const buckets = Array.isArray(body?.buckets) ? body.buckets.map(String) : [];
    if (buckets.length === 0) buckets.push('default');
    const model = typeof body?.model === 'string' && body.model.trim() !== '' ? body.model.trim() : undefined;
    const existing = (await listProfiles(server.profiles.profileLocations)).find(
      (entry) => entry.name === name && entry.source === 'user',
    );
    if (existing !== undefined)
      throw new HttpError(409, `Profile "${name}" exists already: edit it instead.`, 'profile_exists', undefined);
    const saved = await saveModelProfile(server.profiles.profileLocations, name, {
      provider,
      buckets,
      ...(model !== undefined ? { model } : {}),
    }).catch((error: unknown) => {
      throw new HttpError(400, messageOf(error), 'invalid_profile', undefined, {}, { cause: error });
    });
    server.profiles.reload();
    return c.json(
      { profile: name, saved: saved.profile, message: `Saved model profile ${name}: ${buckets.join(' \u2192 ')}` },
      201,
    );
  });

  // `profile set-default NAME`: the profile `serve` starts with when none is loaded or given.
  app.put('/profiles/default', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const paths = homeOf(server);
    const body = (await c.req.json().catch(() => null)) as { profile?: unknown } | null;
    const name = refusedAs(400, 'invalid_profile_name', () => assertProfileName(stringOf(body?.profile)));
    await resolveChain(server.profiles.profileLocations, name).catch((error: unknown) => {
      const notFound = error instanceof Error && error.name === 'ProfileNotFoundError';
      throw new HttpError(
        notFound ? 404 : 400,
        messageOf(error),
        notFound ? 'unknown_profile' : 'invalid_profile',
        undefined,
      );
    });
    await setDefaultProfile(paths, name);
    return c.json({ profile: name, message: `Default profile: ${name}` });
  });

  return app;
}

function homeOf(server: ServerContext): SwitchyardPaths {
  if (server.paths === undefined)
    throw new HttpError(501, 'This server has no home folder to keep profiles in.', 'profiles_unsupported', undefined);
  return server.paths;
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
