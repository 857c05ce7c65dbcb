import type { InternalMessage } from './internal.js';

/**
 * Fills in the tool name of each tool result from the call it answers: Gemini matches results
 * to calls by name, while the other formats only carry the call's id.
 */
export function fillToolResultNames(messages: InternalMessage[]): InternalMessage[] {
  const names = new Map<string, string>();
  for (const message of messages) {
    for (const part of message.parts) {
      if (part.type === 'tool-call') names.set(part.id, part.name);
      else if (part.type === 'tool-result' && part.name === undefined) {
        const name = names.get(part.callId);
        if (name !== undefined) part.name = name;
      }
    }
  }
  return messages;
}
