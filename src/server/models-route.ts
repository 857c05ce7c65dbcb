import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { requireClientKey } from './client-auth.js';
import type { ServerContext } from './server-context.js';

/**
 * `GET /v1/models`: the models the active profile pins, in OpenAI's list shape (or Anthropic's
 * when the client sends `anthropic-version`), so clients that list models before use work.
 */
export async function modelsRoute(
  context: Context<{ Bindings: HttpBindings }>,
  server: ServerContext,
): Promise<Response> {
  const headers = context.env.incoming.headers;
  const anthropic = typeof headers['anthropic-version'] === 'string';
  requireClientKey(server.clients, headers, undefined, anthropic ? 'anthropic-messages' : 'openai-chat');
  const name = server.profiles.current;
  const chain = name === undefined ? undefined : await server.profiles.chain(name).catch(() => undefined);
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
