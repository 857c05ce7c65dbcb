/**
 * `GET /v1/models` in OpenAI's shape, or Anthropic's when the request carries Anthropic headers.
 * @see https://platform.openai.com/docs/api-reference/models/list
 * @see https://docs.anthropic.com/en/api/models-list
 */
export function modelsList(anthropic: boolean, createdSeconds: number): Record<string, unknown> {
  if (anthropic) {
    const data = ['claude-sonnet-4-6', 'claude-opus-4-7', 'claude-haiku-4-5'].map((id) => ({
      type: 'model',
      id,
      display_name: id,
      created_at: new Date(createdSeconds * 1000).toISOString(),
    }));
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  }
  const data = ['gpt-4o-mini', 'gpt-5', 'gpt-5-codex', 'qwen3-coder-plus'].map((id) => ({
    id,
    object: 'model',
    created: createdSeconds,
    owned_by: 'switchyard-simulator',
  }));
  return { object: 'list', data };
}
