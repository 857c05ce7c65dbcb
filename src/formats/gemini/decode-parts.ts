import { isRecord, objectOf, recordsOf, stringOf } from '../../core/json.js';
import type { ResponsePart } from '../internal.js';

/**
 * The parts of a model turn: text, thoughts and function calls. Gemini's calls may lack an id
 * (older models); `callId` gives them one so the other formats can match results to them.
 */
export function decodeModelParts(parts: unknown, callId: (name: string) => string): ResponsePart[] {
  return recordsOf(parts).flatMap((part): ResponsePart[] => {
    if (isRecord(part.functionCall)) {
      const call = part.functionCall;
      const name = stringOf(call.name) ?? '';
      return [
        {
          type: 'tool-call',
          id: stringOf(call.id) ?? callId(name),
          name,
          arguments: JSON.stringify(objectOf(call.args)),
        },
      ];
    }
    if (typeof part.text !== 'string') return [];
    if (part.thought === true) return [{ type: 'reasoning', text: part.text, signature: undefined }];
    return [{ type: 'text', text: part.text }];
  });
}

/** Ids for calls that came without one: the name and a running number, stable within one answer. */
export function syntheticCallIds(prefix: string): (name: string) => string {
  let count = 0;
  return (name) => `${prefix}_${name}_${count++}`;
}
