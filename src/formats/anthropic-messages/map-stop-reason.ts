import type { StopReason } from '../internal.js';

/**
 * Anthropic's `stop_reason` in internal words, and back.
 * @see https://docs.anthropic.com/en/api/handling-stop-reasons
 */
export function stopReasonFromAnthropic(value: unknown): StopReason {
  switch (value) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'max-tokens';
    case 'stop_sequence':
      return 'stop-sequence';
    case 'tool_use':
      return 'tool-use';
    case 'refusal':
      return 'content-filter';
    default:
      return 'end';
  }
}

export function stopReasonToAnthropic(reason: StopReason): string {
  switch (reason) {
    case 'max-tokens':
      return 'max_tokens';
    case 'stop-sequence':
      return 'stop_sequence';
    case 'tool-use':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}
