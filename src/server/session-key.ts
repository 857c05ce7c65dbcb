import type { IncomingHttpHeaders } from 'node:http';

/**
 * A stable id for the client's session, for stickiness: our own header first, then what the
 * clients send anyway (Claude Code's `x-claude-code-session-id` and `metadata.user_id`, Codex's
 * `session_id` and `prompt_cache_key`).
 */
export function sessionKeyOf(headers: IncomingHttpHeaders, body: Record<string, unknown>): string | undefined {
  const own = headers['x-switchyard-session'];
  if (typeof own === 'string' && own) return own;
  const claudeCodeSession = headers['x-claude-code-session-id'];
  if (typeof claudeCodeSession === 'string' && claudeCodeSession) return claudeCodeSession;
  const codexSession = headers.session_id ?? headers['session-id'];
  if (typeof codexSession === 'string' && codexSession) return codexSession;
  const metadata = body.metadata;
  if (typeof metadata === 'object' && metadata !== null) {
    const userId = (metadata as { user_id?: unknown }).user_id;
    if (typeof userId === 'string' && userId) return userId;
  }
  // Codex's Responses requests name their prompt cache: one cache, one session.
  const cacheKey = body.prompt_cache_key;
  if (typeof cacheKey === 'string' && cacheKey) return cacheKey;
  return undefined;
}
