/**
 * The one kit for reading JSON that anybody may have written (clients, providers, token
 * endpoints): any field may be missing or mistyped, so every reader answers a safe default
 * instead of throwing. Two families: `…Of(value)` reads a value already picked out, and
 * `…Field(object, name)` reads a field of something that may not even be an object.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parsed JSON, or undefined when the text is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Parsed JSON object, or undefined when the text is not a JSON object. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  const parsed = parseJson(text);
  return isRecord(parsed) ? parsed : undefined;
}

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

/** An object, or an empty object when it is anything else. */
export function objectOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** A non-negative finite number field, 0 when absent or malformed (or when `value` is no object). */
export function countField(value: unknown, name: string): number {
  if (!isRecord(value)) return 0;
  const field = value[name];
  return typeof field === 'number' && Number.isFinite(field) && field >= 0 ? field : 0;
}

/** Whether an object has a number field of that name (a count that was reported, even 0). */
export function hasCount(value: unknown, name: string): boolean {
  return isRecord(value) && typeof value[name] === 'number';
}

/** An object field, or undefined when it is absent or not an object. */
export function objectField(value: unknown, name: string): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[name];
  return isRecord(field) ? field : undefined;
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
