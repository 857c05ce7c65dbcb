import type { StopReason } from '../internal.js';

/**
 * Gemini's `finishReason` in internal words, and back. Gemini says STOP for a function call too;
 * a call among the parts makes it `tool-use`.
 * @see https://ai.google.dev/api/generate-content#FinishReason
 */
export function stopReasonFromGemini(value: unknown, hasToolCall: boolean): StopReason {
  switch (value) {
    case 'MAX_TOKENS':
      return 'max-tokens';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'content-filter';
    case 'MALFORMED_FUNCTION_CALL':
    case 'UNEXPECTED_TOOL_CALL':
      return 'error';
    default:
      return hasToolCall ? 'tool-use' : 'end';
  }
}

/** Gemini has no reason of its own for a tool call or a stop sequence: both are STOP. */
export function stopReasonToGemini(reason: StopReason): string {
  switch (reason) {
    case 'max-tokens':
      return 'MAX_TOKENS';
    case 'content-filter':
      return 'SAFETY';
    case 'error':
      return 'OTHER';
    default:
      return 'STOP';
  }
}
