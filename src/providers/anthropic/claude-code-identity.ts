/** The first system block Anthropic requires for requests made with subscription OAuth tokens. */
export const claudeCodeIdentity = "You are Claude Code, Anthropic's official CLI for Claude.";

interface TextBlock {
  type: 'text';
  text: string;
  [key: string]: unknown;
}

/** Puts the Claude Code identity first in `system`, keeping whatever the client sent after it. */
export function withClaudeCodeIdentity(body: Record<string, unknown>): Record<string, unknown> {
  const system = body.system;
  const identityBlock: TextBlock = { type: 'text', text: claudeCodeIdentity };
  if (system === undefined || system === null || system === '') return { ...body, system: [identityBlock] };
  if (typeof system === 'string') {
    if (system === claudeCodeIdentity) return body;
    return { ...body, system: [identityBlock, { type: 'text', text: system }] };
  }
  if (Array.isArray(system)) {
    const first: unknown = system[0];
    if (isTextBlock(first) && first.text === claudeCodeIdentity) return body;
    return { ...body, system: [identityBlock, ...system] };
  }
  return body;
}

function isTextBlock(value: unknown): value is TextBlock {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'text';
}
