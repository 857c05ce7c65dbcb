import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { requireClientKey } from './client-auth.js';
import { authorizeProfile } from './client-authorization.js';
import { chainNamed, profileNameFor } from './proxy-route.js';
import type { ServerContext } from './server-context.js';

/**
 * `GET /v1/models`: the models the profile a request would use pins (x-switchyard-profile, else the
 * active one), in OpenAI's list shape (or Anthropic's when the client sends `anthropic-version`), so
 * clients that list models before use work. A client key limited to some profiles is refused another
 * profile's list as it would be refused its requests: the list names what that profile serves.
 */
export async function modelsRoute(
  context: Context<{ Bindings: HttpBindings }>,
  server: ServerContext,
): Promise<Response> {
  const headers = context.env.incoming.headers;
  const anthropic = typeof headers['anthropic-version'] === 'string';
  const format = anthropic ? 'anthropic-messages' : 'openai-chat';
  const client = requireClientKey(server.clients, headers, undefined, format);
  const requested = headers['x-switchyard-profile'];
  // With no profile active and none asked for, the list is empty rather than an error: clients list
  // models at start, before anyone has loaded a profile.
  const name =
    requested === undefined && server.profiles.current === undefined
      ? undefined
      : profileNameFor(server, requested, format);
  if (name !== undefined) authorizeProfile(client, name, format);
  const chain = name === undefined ? undefined : await chainNamed(server, name, format);
  const models = [
    ...new Set(
      (chain?.targets ?? []).map((target) => target.model).filter((model): model is string => model !== undefined),
    ),
  ];
  const created = Math.floor(server.startedAt / 1000);
  if (anthropic) {
    const data = models.map((id) => ({
      type: 'model',
      id,
      display_name: id,
      created_at: new Date(server.startedAt).toISOString(),
    }));
    return context.json({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
  }
  return context.json({
    object: 'list',
    data: models.map((id) => ({ id, object: 'model', created, owned_by: 'switchyard' })),
  });
}
