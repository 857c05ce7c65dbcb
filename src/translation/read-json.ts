/** Internal: tolerant readers for client and provider JSON, where any field may be missing or mistyped. */
import { isRecord } from '../formats/json-fields.js';

export { isRecord };

/** A string, or undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A finite number, or undefined. */
export function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A non-negative count, 0 when absent. */
export function countOf(value: unknown): number {
  const number = numberOf(value);
  return number !== undefined && number >= 0 ? number : 0;
}

/** The objects of an array (anything else in it is skipped), or none. */
export function recordsOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The strings of a string-or-array field (`stop`, `stop_sequences`). */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

/** An object field, or an empty object. */
export function objectOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** JSON text for arguments or results that may arrive as text or as an object. */
export function jsonText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value ?? {});
}

/** Parses tool-call arguments into an object; text that is not an object is kept under `value`. */
export function argumentsObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : { value: parsed };
  } catch {
    return { value: text };
  }
}

/** Copies the fields whose value is defined, so that optional wire fields are left out rather than sent as null. */
export function definedFields(fields: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) result[name] = value;
  return result;
}
