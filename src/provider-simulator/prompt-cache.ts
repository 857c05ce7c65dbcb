import { estimateInputTokens } from './answer-text.js';

/** Prompt tokens an answer reports as written to, or read from, the provider's prompt cache. */
export interface PromptCacheCounts {
  write: number;
  read: number;
}

function blocksOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function marked(block: unknown): boolean {
  return typeof block === 'object' && block !== null && 'cache_control' in block;
}

/**
 * Anthropic prompt caching as the simulator models it, so that cache reads and writes can be
 * followed end to end: the prompt (tools, system, then messages' blocks) up to the last block
 * marked `cache_control` is the cached prefix. An account's first request with a prefix writes
 * it; later ones read it. Undefined when nothing is marked.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching
 */
export function anthropicPromptCache(body: Record<string, unknown>, seen: Set<string>): PromptCacheCounts | undefined {
  const blocks = [...blocksOf(body.tools), ...blocksOf(body.system)];
  for (const message of blocksOf(body.messages)) {
    if (typeof message === 'object' && message !== null)
      blocks.push(...blocksOf((message as { content?: unknown }).content));
  }
  const last = blocks.findLastIndex(marked);
  if (last === -1) return undefined;
  const prefix = JSON.stringify(blocks.slice(0, last + 1));
  const tokens = estimateInputTokens(Buffer.byteLength(prefix));
  if (seen.has(prefix)) return { write: 0, read: tokens };
  seen.add(prefix);
  return { write: tokens, read: 0 };
}
