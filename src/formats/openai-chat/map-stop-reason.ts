import type { StopReason } from '../internal.js';

/**
 * Chat Completions' `finish_reason` in internal words, and back.
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices
 */
export function stopReasonFromChat(value: unknown): StopReason {
  switch (value) {
    case 'length':
      return 'max-tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool-use';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'end';
  }
}

/** Chat has no reason of its own for a stop sequence: it reports `stop`, as for a natural end. */
export function stopReasonToChat(reason: StopReason): string {
  switch (reason) {
    case 'max-tokens':
      return 'length';
    case 'tool-use':
      return 'tool_calls';
    case 'content-filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}
