import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { assertProfileName } from '../core/names.js';
import { requireProviderName } from '../core/provider-names.js';
import { findProfile, type ModelProfileInput, saveModelProfile } from '../profiles/index.js';
import { requireAdminKey } from './client-auth.js';
import { HttpError } from './http-error.js';
import type { ServerContext } from './server-context.js';

/** The fields of a model profile the dashboard may change; anything left out keeps its value. */
interface ProfileEdit {
  provider?: unknown;
  model?: unknown;
  buckets?: unknown;
}

/**
 * `PATCH /profiles/:name`: edits a model profile (provider, model, bucket order) through the same
 * code and messages as `switchyard profile save model`, then has this server read it again.
 */
export function profileEditingRoutes(server: ServerContext): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.patch('/profiles/:name', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const name = refusedAs(400, 'invalid_profile_name', () => assertProfileName(c.req.param('name')));
    const edit = (await c.req.json().catch(() => null)) as ProfileEdit | null;
    if (edit === null || typeof edit !== 'object' || Array.isArray(edit))
      throw new HttpError(400, 'Send a JSON object: {"provider", "model", "buckets"}.', 'invalid_request', undefined);
    const locations = server.profiles.profileLocations;
    const loaded = await findProfile(locations, name).catch((error: unknown) => {
      const notFound = error instanceof Error && error.name === 'ProfileNotFoundError';
      throw new HttpError(
        notFound ? 404 : 400,
        messageOf(error),
        notFound ? 'unknown_profile' : 'invalid_profile',
        undefined,
        {},
        {
          cause: error,
        },
      );
    });
    const current = loaded.profile;
    if (current.type !== 'model')
      throw new HttpError(
        400,
        `Profile "${name}" is a load-balancer profile: edit its members with \`switchyard profile save loadbalancer\`.`,
        'not_a_model_profile',
        undefined,
      );
    const input: ModelProfileInput = {
      ...current,
      provider: edit.provider === undefined ? current.provider : providerOf(edit.provider),
      buckets: edit.buckets === undefined ? current.buckets : bucketsOf(edit.buckets),
    };
    if (edit.model !== undefined) {
      if (edit.model !== null && typeof edit.model !== 'string')
        throw new HttpError(
          400,
          'The model is a string (or null: keep the client\u2019s model).',
          'invalid_model',
          undefined,
        );
      if (edit.model === null || edit.model.trim() === '') delete input.model;
      else input.model = edit.model.trim();
    }
    const saved = await saveModelProfile(locations, name, input).catch((error: unknown) => {
      throw new HttpError(400, messageOf(error), 'invalid_profile', undefined, {}, { cause: error });
    });
    // Cached chains were read from the old file: the next request reads the new order.
    server.profiles.reload();
    return c.json({ profile: name, saved: saved.profile });
  });

  return app;
}

function providerOf(value: unknown): ModelProfileInput['provider'] {
  if (typeof value !== 'string') throw new HttpError(400, 'The provider is a string.', 'invalid_provider', undefined);
  return refusedAs(400, 'invalid_provider', () => requireProviderName(value));
}

function bucketsOf(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((bucket) => typeof bucket === 'string'))
    throw new HttpError(
      400,
      'The buckets are a non-empty list of names, first = primary.',
      'invalid_buckets',
      undefined,
    );
  return value;
}

/** Runs a check from the CLI's own code and answers its message with `status`. */
export function refusedAs<T>(status: number, code: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new HttpError(status, messageOf(error), code, undefined, {}, { cause: error });
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
